/**
 * Maps and filters an event stream: `fn` answers the value to yield for an event, or undefined to skip it.
 *
 * Not an async generator on purpose: a generator waiting inside `for await` for the next event queues a
 * `return()` until that event arrives, so a client that unsubscribes from a quiet topic would leave its
 * queue registered. Here `return()` reaches the source at once (graphql-js maps its streams the same way).
 */
export function mapEvents<T, U>(
  source: AsyncIterator<T>,
  fn: (event: T) => Promise<U | undefined> | U | undefined,
): AsyncGenerator<U, undefined, undefined> {
  let finished = false;
  const stop = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return { value: undefined, done: true };
  };
  const it: AsyncGenerator<U, undefined, undefined> = {
    async next(): Promise<IteratorResult<U, undefined>> {
      while (!finished) {
        let r: IteratorResult<T>;
        try {
          r = await source.next();
        } catch (e) {
          finished = true;
          throw e;
        }
        if (r.done || finished) return stop();
        const value = await fn(r.value);
        if (value !== undefined && !finished) return { value, done: false };
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
