/**
 * Parts shared by the stream muxers (yamux, mplex): a muxed stream as a Netty child channel. Not API:
 * public only so that the muxer packages can use it.
 */
package io.vine.muxer.internal;
