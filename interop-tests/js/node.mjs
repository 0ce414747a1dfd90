#!/usr/bin/env node
// A js-libp2p node driven by vine's interop tests. Loopback addresses only; every run is bounded.
//
//   node node.mjs listen [--security noise|plaintext] [--key-type ed25519|secp256k1|rsa]
//                        [--timeout 120] [--ignore-stdin]
//     line 1: the listen multiaddr, /ip4/127.0.0.1/tcp/N/p2p/<peer id>
//     then one JSON line per event: {"event":"identify",...} when a peer that dialed us answered
//     our identify request. Runs until stdin closes (unless --ignore-stdin), SIGTERM/SIGINT, or
//     the timeout in seconds (then prints {"error":...} and exits 1).
//
//   node node.mjs dial <multiaddr> [--ping N] [--identify] [--security ...] [--timeout 30]
//     prints ONE JSON line: {"peerId", "localPeerId", "connection":{...}, "pingRttMs":[...], and with --identify
//     "agentVersion","protocolVersion","protocols","listenAddrs","observedAddr","publicKey"
//     (base64 of the protobuf PublicKey), ...} and exits 0; on failure {"error": "..."} and exit 1.
//     With --perf-upload-bytes N and/or --perf-download-bytes M it also runs one /perf/1.0.0
//     measurement (lib/perf.mjs) and adds "perf":{"type":"final","timeSeconds","uploadBytes","downloadBytes"}.
//   "pingLimited" says, ping by ping, whether it went over a relayed connection; a ping over a relayed
//   connection that js itself closed meanwhile (DCUtR replaced it) is redone on the direct one and
//   counted in "pingsCutByUpgrade".
//   With --wait S it then waits S seconds and adds "connections": the connections to the peer left.
//   --relay serves as a circuit relay v2 (hop); --dcutr adds DCUtR; with either, or with
//   listen --reserve <relay multiaddr> (listen through that relay; prints
//   {"event":"reservation","address":".../p2p-circuit/p2p/<self>"} after line 1), the node also prints
//   {"event":"connection:open"|"connection:close","peerId","connection":{...,"limited"}} events.
//   Circuit addresses can be dialed (the relay client transport is added for them). With --dcutr a
//   dialer listens too (DCUtR sends its addresses). --host <ipv4> listens there instead of
//   127.0.0.1 and allows dialing that address: only for nodes run inside a test's own netns.
//   A listener serves perf and prints {"event":"perf","peerId","uploadBytes","downloadBytes"} (or
//   {"event":"perf","peerId","error"}) for every perf stream it served.

import './lib/es2024.mjs' // first: runtime gaps of Node 20
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { intFlag, parseArgs } from './lib/args.mjs'
import { buildNode, listenHost, NODE_FLAGS } from './lib/build.mjs'
import { connectionJson, errorJson, identifyJson, printJson } from './lib/report.mjs'

const COMMON_FLAGS = [...NODE_FLAGS, 'timeout']
const PERF_FLAGS = ['perf-upload-bytes', 'perf-download-bytes']
const COMMANDS = {
  listen: { flags: [...COMMON_FLAGS, 'ignore-stdin', 'reserve'], defaultTimeout: 120, run: listen },
  dial: { flags: [...COMMON_FLAGS, 'ping', 'identify', 'wait', ...PERF_FLAGS], defaultTimeout: 30, run: dial }
}

let finished = false
let node

/** Prints the final line once, stops the node (bounded), and exits. */
async function finish (code, line) {
  if (finished) {
    return
  }
  finished = true
  if (line != null) {
    printJson(line)
  }
  const stopped = node == null ? Promise.resolve() : node.stop().catch(() => {})
  await Promise.race([stopped, new Promise(resolve => setTimeout(resolve, 2000).unref())])
  process.exit(code)
}

/** With --relay, --reserve or --dcutr a node also reports every connection it opens and closes. */
function printConnections (flags) {
  if (flags.relay !== true && flags.dcutr !== true && flags.reserve === undefined) {
    return
  }
  for (const type of ['open', 'close']) {
    node.addEventListener(`connection:${type}`, (evt) => {
      if (!finished) {
        printJson({ event: `connection:${type}`, peerId: evt.detail.remotePeer.toString(), connection: connectionJson(evt.detail) })
      }
    })
  }
}

/** Waits (bounded by the command's timeout) until the node listens on a circuit address, and prints it. */
async function awaitReservation () {
  for (;;) {
    const circuit = node.getMultiaddrs().find(a => a.toString().includes('/p2p-circuit/p2p/'))
    if (circuit != null) {
      printJson({ event: 'reservation', address: circuit.toString() })
      return
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

async function listen (flags) {
  const extraListen = []
  if (flags.reserve !== undefined) {
    const relay = multiaddr(flags.reserve)
    assertLoopback(relay, flags)
    extraListen.push(relay.toString().includes('/p2p-circuit') ? relay.toString() : `${relay}/p2p-circuit`)
  }
  node = await buildNode(flags, { listen: true, identifyOnConnect: true, extraListen })
  printConnections(flags)
  node.addEventListener('peer:identify', (evt) => {
    if (!finished) {
      printJson({ event: 'identify', connection: connectionJson(evt.detail.connection), ...identifyJson(evt.detail) })
    }
  })
  node.services.perf.onServed = (line) => {
    if (!finished) {
      printJson({ event: 'perf', ...line })
    }
  }
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith(`/ip4/${listenHost(flags)}/tcp/`) && !a.toString().includes('/p2p-circuit'))
  if (addr == null) {
    throw new Error(`no TCP listen address on ${listenHost(flags)} among ${node.getMultiaddrs().join(', ')}`)
  }
  process.stdout.write(addr.toString() + '\n')
  if (flags.reserve !== undefined) {
    await awaitReservation()
  }
  if (flags['ignore-stdin'] !== true) {
    process.stdin.on('end', () => finish(0))
    process.stdin.on('close', () => finish(0))
    process.stdin.resume()
  }
}

async function dial (flags, positional) {
  if (positional.length !== 1) {
    throw new Error(`dial: expected one multiaddr, got ${positional.length} arguments`)
  }
  const target = multiaddr(positional[0])
  assertLoopback(target, flags)
  const pings = intFlag(flags, 'ping', 0, 0, 100)
  const wait = intFlag(flags, 'wait', 0, 0, 600)

  // Identify runs explicitly below, so its errors reach the output instead of a timeout; DCUtR
  // needs it on connect (it starts from the peer's identified protocols).
  const circuit = target.toString().includes('/p2p-circuit')
  // With DCUtR the dialer listens too: its CONNECT message carries the addresses to punch to.
  node = await buildNode(flags, { listen: flags.dcutr === true, identifyOnConnect: flags.dcutr === true, circuit })
  printConnections(flags)
  const connection = await node.dial(target)
  const out = {
    peerId: connection.remotePeer.toString(),
    localPeerId: node.peerId.toString(),
    connection: connectionJson(connection)
  }
  if (flags.identify === true) {
    const result = await node.services.identify.identify(connection)
    Object.assign(out, identifyJson(result))
  }
  out.pingRttMs = []
  out.pingLimited = []
  for (let i = 0; i < pings; i++) {
    if (connection.limits == null) {
      out.pingRttMs.push(await node.services.ping.ping(connection.remotePeer))
      out.pingLimited.push(false)
      continue
    }
    // Over a relayed (limited) connection, ping on that connection: pinging the peer id would make
    // js dial the peer's direct addresses instead.
    const on = upgradedFrom(connection) ?? connection
    try {
      out.pingRttMs.push(await pingOver(on))
    } catch (err) {
      // With --dcutr js closes the relayed connection itself once the hole punch gave it a direct
      // one, and that close ends a ping in flight on it (a short echo or a cut negotiation). Only
      // then is the ping redone, on the direct connection; any other failure, and an echo that
      // differs, is an error.
      const direct = upgradedFrom(on)
      if (err.mismatch === true || on.limits == null || direct == null) {
        throw err
      }
      out.pingsCutByUpgrade = (out.pingsCutByUpgrade ?? 0) + 1
      out.pingRttMs.push(await pingOver(direct))
      out.pingLimited.push(false)
      continue
    }
    out.pingLimited.push(on.limits != null)
  }
  if (PERF_FLAGS.some(f => flags[f] !== undefined)) {
    out.perf = await node.services.perf.measure(connection,
      intFlag(flags, 'perf-upload-bytes', 0, 0, 2 ** 40), intFlag(flags, 'perf-download-bytes', 0, 0, 2 ** 40))
  }
  if (wait > 0) {
    // Lets background work (DCUtR) run, then says which connections to the peer are left.
    await new Promise(resolve => setTimeout(resolve, wait * 1000))
    out.connections = node.getConnections(connection.remotePeer).map(connectionJson)
  }
  await finish(0, out)
}

/** One /ipfs/ping/1.0.0 round trip on exactly this connection; its RTT in ms. */
async function pingOver (connection) {
  const data = randomBytes(32)
  const start = Date.now()
  const signal = AbortSignal.timeout(10_000)
  const stream = await connection.newStream('/ipfs/ping/1.0.0', { runOnLimitedConnection: true, signal })
  try {
    const sent = stream.sink([data])
    const echo = []
    let length = 0
    for await (const chunk of stream.source) {
      echo.push(chunk.subarray())
      length += chunk.byteLength
      if (length >= data.length) {
        break
      }
    }
    await sent
    const got = Buffer.concat(echo).subarray(0, data.length)
    if (!got.equals(data.subarray(0, got.length))) {
      throw Object.assign(new Error(`ping: the echo differs from what was sent (${data.toString('hex')} != ${got.toString('hex')})`), { mismatch: true })
    }
    if (got.length < data.length) {
      throw new Error(`ping: the stream ended after ${got.length} of ${data.length} echoed bytes (connection ${connection.status})`)
    }
    return Date.now() - start
  } finally {
    await stream.close({ signal }).catch(() => stream.abort(new Error('ping done')))
  }
}

/**
 * Once the relayed connection {@code relayed} is no longer open, the open direct (not limited)
 * connection to its peer that DCUtR replaced it with; else null.
 */
function upgradedFrom (relayed) {
  if (relayed.status === 'open') {
    return null
  }
  return node.getConnections(relayed.remotePeer).find(c => c.limits == null && c.status === 'open') ?? null
}

/** Refuses to dial anything but loopback, or the --host address (a test's own network namespace). */
function assertLoopback (target, flags) {
  const host = target.getComponents()[0]
  const loopback = (host.name === 'ip4' && host.value.startsWith('127.')) || (host.name === 'ip6' && host.value === '::1')
  if (!loopback && !(flags.host !== undefined && host.name === 'ip4' && host.value === listenHost(flags))) {
    throw new Error(`${target} is not a loopback address${flags.host === undefined ? '' : ' nor --host'}`)
  }
}

async function main () {
  const [name, ...rest] = process.argv.slice(2)
  const command = COMMANDS[name]
  if (command == null) {
    throw new Error(`usage: node node.mjs ${Object.keys(COMMANDS).join('|')} ... (got: ${name})`)
  }
  const { positional, flags } = parseArgs(rest, new Set(command.flags))
  const timeout = intFlag(flags, 'timeout', command.defaultTimeout, 1, 3600)
  setTimeout(() => finish(1, { error: `TimeoutError: ${name} did not finish within ${timeout} s` }), timeout * 1000)
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => finish(0))
  }
  await command.run(flags, positional)
}

process.on('unhandledRejection', (err) => finish(1, errorJson(err)))
main().catch((err) => finish(1, errorJson(err)))
