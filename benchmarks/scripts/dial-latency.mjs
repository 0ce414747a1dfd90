// Dial + handshake + one ping round trip, js-libp2p side, measured inside one running process.
//
//   node dial-latency.mjs <multiaddr> <noise|tls> <warmup> <samples>
//
// One js-libp2p node (interop-tests/js/lib/build.mjs: TCP, the given security, yamux) dials the
// target afresh for every sample: TCP connect, multistream-select, security handshake, muxer
// negotiation, then one /ipfs/ping/1.0.0 round trip on a new stream; the connection is closed, then
// 300 ms pass, untimed (js-libp2p listeners refuse more than 5 inbound connections a second from
// one host by default). The first <warmup> samples are dropped. Prints one JSON line:
// {"samplesMs":[...],"medianMs":m}. Loopback targets only.

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const jsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'interop-tests', 'js')
await import(pathToFileURL(join(jsDir, 'lib', 'es2024.mjs')))
const { buildNode } = await import(pathToFileURL(join(jsDir, 'lib', 'build.mjs')))

/** An ESM-only package from interop-tests/js/node_modules (bare names resolve next to this file). */
async function importFromHarness (name) {
  const dir = join(jsDir, 'node_modules', ...name.split('/'))
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return import(pathToFileURL(join(dir, pkg.exports['.'].import)))
}

const [target, security, warmupArg, samplesArg] = process.argv.slice(2)
if (target == null || !/^\/ip4\/127\.|^\/ip6\/::1\//.test(target)) {
  console.log(JSON.stringify({ error: `usage: dial-latency.mjs <loopback multiaddr> <noise|tls> <warmup> <samples> (got: ${target})` }))
  process.exit(2)
}
const warmup = Number(warmupArg ?? 10)
const samples = Number(samplesArg ?? 30)
const PACE_MS = 300 // between samples, untimed: see above
setTimeout(() => {
  console.log(JSON.stringify({ error: 'TimeoutError: dial-latency did not finish within 120 s' }))
  process.exit(1)
}, 120_000).unref()

const { multiaddr } = await importFromHarness('@multiformats/multiaddr')
const addr = multiaddr(target)
const node = await buildNode({ security }, { listen: false, identifyOnConnect: false })
const times = []
try {
  for (let i = 0; i < warmup + samples; i++) {
    const start = performance.now()
    const connection = await node.dial(addr, { force: true })
    await node.services.ping.ping(connection.remotePeer)
    const elapsed = performance.now() - start
    await connection.close()
    // js-libp2p listeners refuse more than 5 inbound connections a second from one host by default
    await new Promise(resolve => setTimeout(resolve, PACE_MS))
    if (i >= warmup) {
      times.push(elapsed)
    }
  }
} finally {
  await Promise.race([node.stop().catch(() => {}), new Promise(resolve => setTimeout(resolve, 2000).unref())])
}
const sorted = [...times].sort((a, b) => a - b)
const median = sorted.length % 2 === 1
  ? sorted[(sorted.length - 1) / 2]
  : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
console.log(JSON.stringify({ samplesMs: times.map(t => Math.round(t * 1000) / 1000), medianMs: median }))
process.exit(0)
