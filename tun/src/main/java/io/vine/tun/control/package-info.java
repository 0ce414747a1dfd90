/**
 * The overlay's control protocol {@value io.vine.tun.control.ControlCodec#PROTOCOL_ID}: each side
 * opens one stream per connection and writes uvarint-length-prefixed protobuf {@code ControlMessage}
 * frames (at most {@value io.vine.tun.control.ControlCodec#MAX_MESSAGE_BYTES} bytes) on it: a
 * {@link io.vine.tun.control.ControlMessage.Hello} first (network id, version, capabilities), then
 * route announces and withdraws with epochs, keepalives, and diagnostic pings answered by pongs on the
 * answering side's own stream. The wire schema is {@code src/main/protobuf/control.proto}.
 */
package io.vine.tun.control;
