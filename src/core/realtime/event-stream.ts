/** The bus event a mapped value came from (see mapEvents). */
const SOURCE_EVENT = Symbol('sourceEvent');
/** Per bus event: what its subscribers on this process share (released with the event itself). */
const scopes = new WeakMap<object, Map<string, unknown>>();

/**
 * The memo shared by everything one event does on this process, for every subscriber it reaches: the bus
 * hands the same event object to each subscriber's queue, so their look-ups can be one statement. It lives
 * as long as the event is referenced (bounded by the subscribers' bounded queues), and each event starts
 * empty: rows are read as they are when it arrives. Only what does not depend on the caller may go in.
 */
export function eventScope(event: object): Map<string, unknown> {
  const source = (event as { [SOURCE_EVENT]?: object })[SOURCE_EVENT] ?? event;
  let scope = scopes.get(source);
  if (!scope) scopes.set(source, (scope = new Map()));
  return scope;
}

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
        if (value !== undefined && !finished) return { value: tagged(value, r.value), done: false };
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

/** Records on a mapped value (an object) the event it came from, so that eventScope(value) is the event's. */
function tagged<U>(value: U, source: unknown): U {
  if (typeof value !== 'object' || value === null || typeof source !== 'object' || source === null) return value;
  if (!Object.isExtensible(value) || SOURCE_EVENT in value) return value;
  const origin = (source as { [SOURCE_EVENT]?: object })[SOURCE_EVENT] ?? source;
  Object.defineProperty(value, SOURCE_EVENT, { value: origin, enumerable: false });
  return value;
}
