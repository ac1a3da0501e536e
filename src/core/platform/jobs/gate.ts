/**
 * Keeps the window's calls ahead of a job's writes. SQLite has one writer at a
 * time: a job writing batch after batch in a worker would keep the app's own
 * writes waiting in SQLite's busy loop, on the thread that answers the window.
 * So the app marks each call it is serving in a shared counter, and a job
 * pauses between its batches while that counter is above zero.
 */
export class WriteGate {
  readonly buffer = new SharedArrayBuffer(8)
  private readonly view = new Int32Array(this.buffer)

  /** Runs `fn` with the app's call marked in progress (the synchronous part). */
  around<T>(fn: () => T): T {
    Atomics.add(this.view, 0, 1)
    try {
      return fn()
    } finally {
      Atomics.sub(this.view, 0, 1)
      Atomics.add(this.view, 1, 1)
      Atomics.notify(this.view, 1)
    }
  }
}

/** In a job's thread, between batches: waits while the app serves a call (at most `maxMs`). */
export function yieldToApp(buffer: SharedArrayBuffer | null, maxMs = 2000): void {
  if (!buffer) return
  const view = new Int32Array(buffer)
  const until = performance.now() + maxMs
  while (Atomics.load(view, 0) > 0) {
    const left = until - performance.now()
    if (left <= 0) return
    const generation = Atomics.load(view, 1)
    if (Atomics.load(view, 0) === 0) return
    Atomics.wait(view, 1, generation, Math.min(left, 25))
  }
}
