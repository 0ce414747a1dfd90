/**
 * libp2p keys: Ed25519, secp256k1, ECDSA and RSA, their protobuf encodings and signature schemes, as
 * specified in libp2p/specs peer-ids/peer-ids.md, sections "Keys" and "Key Types".
 */
package io.vine.core.crypto;
