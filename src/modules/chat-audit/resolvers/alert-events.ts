/**
 * An event stream expanded: `fn` answers the values an event yields (none to skip it), yielded one by one.
 * Like core/realtime's mapEvents, not an async generator: `return()` reaches the source at once, even while
 * a `next()` waits, so a client that unsubscribes releases its bus subscription immediately.
 */
export function expandEvents<T, U>(
  source: AsyncIterator<T>,
  fn: (event: T) => Promise<U[]> | U[],
): AsyncGenerator<U, undefined, undefined> {
  let finished = false;
  const buffered: U[] = [];
  const stop = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!finished) {
      finished = true;
      buffered.length = 0;
      await source.return?.();
    }
    return { value: undefined, done: true };
  };
  const it: AsyncGenerator<U, undefined, undefined> = {
    async next(): Promise<IteratorResult<U, undefined>> {
      while (!finished) {
        if (buffered.length) return { value: buffered.shift()!, done: false };
        let r: IteratorResult<T>;
        try {
          r = await source.next();
        } catch (e) {
          finished = true;
          throw e;
        }
        if (r.done || finished) return stop();
        buffered.push(...(await fn(r.value)));
      }
      return { value: undefined, done: true };
    },
    return: () => stop(),
    async throw(e: unknown) {
      await stop();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
  return it;
}
