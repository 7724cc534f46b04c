import { coalesceEvents } from './kpi-live.service';

/** A source whose events the test pushes. */
function pushSource<T>() {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  const source: AsyncIterator<T> = {
    async next() {
      while (!queue.length && !ended) await new Promise<void>((r) => (wake = r));
      return queue.length ? { value: queue.shift()!, done: false } : { value: undefined, done: true };
    },
    async return() {
      ended = true;
      wake?.();
      return { value: undefined, done: true };
    },
  };
  return {
    source,
    push: (v: T) => {
      queue.push(v);
      wake?.();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('coalesceEvents', () => {
  it('yields the first change at once, then gathers a burst into one value per interval', async () => {
    const { source, push } = pushSource<string[]>();
    const it = coalesceEvents(source, (ids) => ids, 300);
    push(['a']);
    const started = Date.now();
    expect((await it.next()).value).toEqual(['a']);
    expect(Date.now() - started).toBeLessThan(200);
    for (const id of ['b', 'c', 'b', 'd']) {
      push([id]);
      await tick();
    }
    const second = await it.next();
    expect(Date.now() - started).toBeGreaterThanOrEqual(295);
    expect([...second.value!].sort()).toEqual(['b', 'c', 'd']);
    await it.return();
    expect((await it.next()).done).toBe(true);
  });

  it('skips the events `pick` refuses (null) and stops its source on return', async () => {
    const { source, push } = pushSource<string[]>();
    let returned = false;
    const inner = source.return!.bind(source);
    source.return = async () => {
      returned = true;
      return inner();
    };
    const it = coalesceEvents(source, (ids) => (ids.includes('x') ? null : ids), 0);
    push(['x']);
    push(['y']);
    expect((await it.next()).value).toEqual(['y']);
    await it.return();
    expect(returned).toBe(true);
  });
});
