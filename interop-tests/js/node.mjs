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
//   A listener serves perf and prints {"event":"perf","peerId","uploadBytes","downloadBytes"} (or
//   {"event":"perf","peerId","error"}) for every perf stream it served.

import './lib/es2024.mjs' // first: runtime gaps of Node 20
import { multiaddr } from '@multiformats/multiaddr'
import { intFlag, parseArgs } from './lib/args.mjs'
import { buildNode, NODE_FLAGS } from './lib/build.mjs'
import { connectionJson, errorJson, identifyJson, printJson } from './lib/report.mjs'

const COMMON_FLAGS = [...NODE_FLAGS, 'timeout']
const PERF_FLAGS = ['perf-upload-bytes', 'perf-download-bytes']
const COMMANDS = {
  listen: { flags: [...COMMON_FLAGS, 'ignore-stdin'], defaultTimeout: 120, run: listen },
  dial: { flags: [...COMMON_FLAGS, 'ping', 'identify', ...PERF_FLAGS], defaultTimeout: 30, run: dial }
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

async function listen (flags) {
  node = await buildNode(flags, { listen: true, identifyOnConnect: true })
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
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/tcp/'))
  if (addr == null) {
    throw new Error(`no loopback TCP listen address among ${node.getMultiaddrs().join(', ')}`)
  }
  process.stdout.write(addr.toString() + '\n')
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
  const host = target.getComponents()[0]
  if (!((host.name === 'ip4' && host.value.startsWith('127.')) || (host.name === 'ip6' && host.value === '::1'))) {
    throw new Error(`dial: ${target} is not a loopback address`)
  }
  const pings = intFlag(flags, 'ping', 0, 0, 100)

  // Identify runs explicitly below, so its errors reach the output instead of a timeout.
  node = await buildNode(flags, { listen: false, identifyOnConnect: false })
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
  for (let i = 0; i < pings; i++) {
    out.pingRttMs.push(await node.services.ping.ping(connection.remotePeer))
  }
  if (PERF_FLAGS.some(f => flags[f] !== undefined)) {
    out.perf = await node.services.perf.measure(connection,
      intFlag(flags, 'perf-upload-bytes', 0, 0, 2 ** 40), intFlag(flags, 'perf-download-bytes', 0, 0, 2 ** 40))
  }
  await finish(0, out)
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
