/** Core libp2p types: keys, peer ids, multiaddrs and the interfaces the swarm is built from. */
package io.vine.core;
