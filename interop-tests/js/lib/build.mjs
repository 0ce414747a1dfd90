// Builds a js-libp2p node from command-line flags.
//
// Each building block lives in a table keyed by its flag value, so a later interop suite adds
// e.g. `tls` to SECURITY, `perf` / `relay` / `dcutr` to SERVICES, without touching the commands.

import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { dcutr } from '@libp2p/dcutr'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { plaintext } from '@libp2p/plaintext'
import { tcp } from '@libp2p/tcp'
import { tls } from '@libp2p/tls'
import { createLibp2p } from 'libp2p'
import { choiceFlag, intFlag } from './args.mjs'
import { perf } from './perf.mjs'

export const AGENT_VERSION = 'js-libp2p-interop/0.1.0'

const TRANSPORTS = {
  tcp: { factory: () => tcp(), listen: (host, port) => `/ip4/${host}/tcp/${port}` }
}

const SECURITY = {
  noise: () => noise(),
  plaintext: () => plaintext(),
  tls: () => tls()
}

const MUXERS = {
  yamux: () => yamux()
}

const SERVICES = {
  identify: (ctx) => identify({ timeout: 10_000, runOnConnectionOpen: ctx.identifyOnConnect }),
  ping: () => ping({ timeout: 10_000 }),
  perf: () => perf()
}

// Services a flag switches on (--relay, --dcutr): off by default, so plain nodes stay as they were.
const OPTIONAL_SERVICES = {
  relay: () => circuitRelayServer({ reservations: { maxReservations: 32 } }),
  dcutr: () => dcutr({ timeout: 5_000, retries: 1 })
}

// ECDSA keys are left out: js-libp2p 2.x cannot make a peer id from one.
const KEY_TYPES = {
  ed25519: () => generateKeyPair('Ed25519'),
  secp256k1: () => generateKeyPair('secp256k1'),
  rsa: () => generateKeyPair('RSA', 2048)
}

/** Flags understood by buildNode. */
export const NODE_FLAGS = ['transport', 'security', 'muxer', 'key-type', 'relay', 'dcutr', 'host', 'port']

/**
 * The IPv4 address to listen on: 127.0.0.1 unless --host names another; the tests pass one only to
 * nodes they run inside a network namespace of their own.
 */
export function listenHost (flags) {
  const host = flags.host ?? '127.0.0.1'
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
    throw new Error(`--host: ${host} (expected: an IPv4 address)`)
  }
  return host
}

/**
 * Creates (and starts) a node; `listen` decides whether it opens a loopback listener, `circuit` adds
 * the circuit relay client transport (dialing `.../p2p-circuit/p2p/<peer>`), `extraListen` more
 * listen addresses (e.g. `<relay>/p2p-circuit` to reserve a slot on that relay).
 */
export async function buildNode (flags, { listen, identifyOnConnect, circuit = false, extraListen = [] }) {
  const transport = TRANSPORTS[choiceFlag(flags, 'transport', 'tcp', Object.keys(TRANSPORTS))]
  const security = SECURITY[choiceFlag(flags, 'security', 'noise', Object.keys(SECURITY))]
  const muxer = MUXERS[choiceFlag(flags, 'muxer', 'yamux', Object.keys(MUXERS))]
  const keyType = KEY_TYPES[choiceFlag(flags, 'key-type', 'ed25519', Object.keys(KEY_TYPES))]

  const services = {}
  for (const [name, factory] of Object.entries(SERVICES)) {
    services[name] = factory({ listen, identifyOnConnect })
  }
  for (const [name, factory] of Object.entries(OPTIONAL_SERVICES)) {
    if (flags[name] === true) {
      services[name] = factory()
    }
  }
  const port = intFlag(flags, 'port', 0, 0, 65535)
  const transports = [transport.factory()]
  if (circuit || flags.dcutr === true || extraListen.length > 0) {
    transports.push(circuitRelayTransport())
  }
  return createLibp2p({
    privateKey: await keyType(),
    nodeInfo: { userAgent: AGENT_VERSION },
    addresses: {
      listen: [...(listen ? [transport.listen(listenHost(flags), port)] : []), ...extraListen],
      // js offers others (identify, DCUtR) only addresses it verified with AutoNAT, or announced ones:
      // with --host and --port the listen address is announced, as a node with a known public address would.
      appendAnnounce: listen && flags.host !== undefined && port !== 0 ? [transport.listen(listenHost(flags), port)] : []
    },
    transports,
    connectionEncrypters: [security()],
    streamMuxers: [muxer()],
    // Keep the runs deterministic: no background keep-alive pings of our own.
    connectionMonitor: { enabled: false },
    services
  })
}
