// A request's abort signal is shared by every statement it runs: a page of 20 aliases queues dozens
// of them at once, and one 'abort' listener each passed Node's limit of 10 per EventTarget, which
// printed "MaxListenersExceededWarning: Possible EventTarget memory leak" for such requests (the
// listeners were removed; nothing leaked). So each signal gets one listener, which calls the
// callbacks registered here.

const callbacks = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts; the function returned unregisters it. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = callbacks.get(signal);
  if (!set) {
    const registered = new Set<() => void>();
    set = registered;
    callbacks.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        callbacks.delete(signal);
        for (const f of [...registered]) f();
      },
      { once: true },
    );
  }
  const mine = set;
  mine.add(fn);
  return () => void mine.delete(fn);
}

/** Callbacks waiting on `signal` (tests). */
export const abortCallbacks = (signal: AbortSignal): number => callbacks.get(signal)?.size ?? 0;
