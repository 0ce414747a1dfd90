// JSON shapes printed on stdout. One JSON object per line; the Java side (JsNode) parses them.

import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'

/** Describes an identify result as seen by this node (the remote peer's answer). */
export function identifyJson (result) {
  const out = {
    peerId: result.peerId.toString(),
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    protocols: [...result.protocols],
    listenAddrs: result.listenAddrs.map(a => a.toString()),
    observedAddr: result.observedAddr?.toString() ?? null,
    publicKey: result.publicKey == null ? null : Buffer.from(result.publicKey).toString('base64'),
    publicKeyType: null,
    peerIdFromPublicKey: null,
    signedPeerRecord: result.signedPeerRecord == null
      ? null
      : { seq: result.signedPeerRecord.seq.toString(), addresses: result.signedPeerRecord.addresses.map(a => a.toString()) }
  }
  if (result.publicKey != null) {
    // js-libp2p already refuses a key that does not match the connection's peer; say so explicitly too.
    const key = publicKeyFromProtobuf(result.publicKey)
    out.publicKeyType = key.type
    out.peerIdFromPublicKey = peerIdFromPublicKey(key).toString()
  }
  return out
}

/** Describes the connection: which security and muxer protocols were negotiated. */
export function connectionJson (connection) {
  return {
    remoteAddr: connection.remoteAddr.toString(),
    direction: connection.direction,
    encryption: connection.encryption ?? null,
    multiplexer: connection.multiplexer ?? null,
    limited: connection.limits != null
  }
}

export function printJson (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

export function errorJson (err) {
  return { error: `${err?.name ?? 'Error'}: ${err?.message ?? String(err)}` }
}
