// The libp2p perf protocol (/perf/1.0.0, libp2p/specs perf/perf.md) on js-libp2p's public stream
// API, written for vine's interop tests (js-libp2p 2.x publishes no perf package for this line).
//
// Client: write the wanted download size as a big-endian uint64, upload N bytes, close the write
// side, then read until the server's end of stream. Server: read the size, drain the upload until
// end of stream, then send that many bytes and close.

export const PERF_PROTOCOL = '/perf/1.0.0'
const CHUNK = 64 * 1024
const ZEROS = new Uint8Array(CHUNK) // shared, never written: what both sides send

/** The server refuses (resets) requests for more than this. */
const DEFAULT_MAX_DOWNLOAD_BYTES = 64n * 1024n * 1024n * 1024n

function * zeros (count) {
  let left = count
  while (left > 0) {
    const n = Math.min(CHUNK, left)
    yield n === CHUNK ? ZEROS : ZEROS.subarray(0, n)
    left -= n
  }
}

class PerfService {
  constructor (components, init) {
    this.components = components
    this.maxDownloadBytes = BigInt(init.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES)
    this.served = []
    this.handle = this.handle.bind(this)
  }

  async start () {
    await this.components.registrar.handle(PERF_PROTOCOL, this.handle, {
      maxInboundStreams: 16,
      maxOutboundStreams: 16
    })
  }

  async stop () {
    await this.components.registrar.unhandle(PERF_PROTOCOL)
  }

  /** Serves one stream; what it served (or why it failed) goes to `served` and the `perf` event. */
  handle ({ stream, connection }) {
    this.serve(stream).then(
      (result) => this.report({ peerId: connection.remotePeer.toString(), ...result }),
      (err) => {
        stream.abort(err)
        this.report({ peerId: connection.remotePeer.toString(), error: `${err.name}: ${err.message}` })
      })
  }

  async serve (stream) {
    const header = new Uint8Array(8)
    let headerBytes = 0
    let uploadBytes = 0
    for await (const chunk of stream.source) {
      for (const buf of chunk) {
        let offset = 0
        while (headerBytes < 8 && offset < buf.byteLength) {
          header[headerBytes++] = buf[offset++]
        }
        uploadBytes += buf.byteLength - offset
      }
    }
    if (headerBytes < 8) {
      throw new Error(`perf: stream ended after ${headerBytes} of 8 header bytes`)
    }
    const wanted = new DataView(header.buffer).getBigUint64(0)
    if (wanted > this.maxDownloadBytes) {
      throw new Error(`perf: request for ${wanted} bytes (expected: <= ${this.maxDownloadBytes})`)
    }
    await stream.sink(zeros(Number(wanted)))
    await stream.close()
    return { uploadBytes, downloadBytes: Number(wanted) }
  }

  report (line) {
    this.served.push(line)
    this.onServed?.(line)
  }

  /**
   * Measures over `connection`: uploads `uploadBytes`, then downloads `downloadBytes`. Resolves with
   * {type:'final', timeSeconds, uploadBytes, downloadBytes}; rejects when the server sent another
   * amount or reset the stream.
   */
  async measure (connection, uploadBytes, downloadBytes) {
    const start = performance.now()
    const stream = await connection.newStream(PERF_PROTOCOL)
    const header = new Uint8Array(8)
    new DataView(header.buffer).setBigUint64(0, BigInt(downloadBytes))
    await stream.sink((function * () {
      yield header
      yield * zeros(uploadBytes)
    })())
    let received = 0
    for await (const chunk of stream.source) {
      received += chunk.byteLength
      if (received > downloadBytes) {
        throw new Error(`perf: the server sent ${received} bytes (expected: ${downloadBytes})`)
      }
    }
    if (received !== downloadBytes) {
      throw new Error(`perf: the server ended the stream after ${received} of ${downloadBytes} bytes`)
    }
    await stream.close()
    return {
      type: 'final',
      timeSeconds: (performance.now() - start) / 1000,
      uploadBytes,
      downloadBytes: received
    }
  }
}

/** A js-libp2p service factory: `services: { perf: perf() }`. */
export function perf (init = {}) {
  return (components) => new PerfService(components, init)
}
