/**
 * Peer ids and identity files, as specified in libp2p/specs peer-ids/peer-ids.md, sections
 * "Peer Ids" and "String representation".
 */
package io.vine.core.peer;
