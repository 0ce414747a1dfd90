/**
 * Netty codecs shared by libp2p protocols: frames prefixed with their length as a multiformats
 * unsigned varint, the framing that identify, ping-less request/response protocols, circuit relay,
 * DCUtR, AutoNAT and multistream-select use.
 *
 * @see <a href="https://github.com/multiformats/unsigned-varint">multiformats/unsigned-varint</a>
 */
package io.vine.core.codec;
