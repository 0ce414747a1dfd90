// Node 20 lacks Promise.withResolvers (ES2024, Node 22+), which current releases of js-libp2p's
// transitive dependencies (it-queue under the peer store's mortice lock) call. This is the
// standard's definition; it is installed only when the runtime does not have it.
// Import this module before any other.

if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    }
  })
}
