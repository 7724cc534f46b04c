import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { graphqlAdmission } from './admission';

/** A request/response pair that records what the middleware did with it. */
function pair(method = 'POST') {
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    setHeader(k: string, v: string) {
      this.headers[k] = v;
    },
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(b: unknown) {
      this.body = b;
    },
  });
  const req = Object.assign(new EventEmitter(), { method, destroyed: false, res });
  const state = { started: false };
  const next: NextFunction = () => {
    state.started = true;
  };
  return {
    req: req as unknown as Request,
    res: res as unknown as Response & typeof res,
    next,
    state,
    raw: { req, res },
  };
}

describe('graphqlAdmission', () => {
  it('runs at most maxActive requests, starts waiting ones in order as others finish, sheds past maxQueued', () => {
    const admit = graphqlAdmission({ maxActive: 2, activeMs: 60_000, maxInFlight: 2, maxQueued: 2 });
    const p = Array.from({ length: 5 }, () => pair());
    for (const x of p) admit(x.req, x.res, x.next);
    expect(p.map((x) => x.state.started)).toEqual([true, true, false, false, false]);
    expect(p[4].res.statusCode).toBe(503);
    expect(p[4].res.headers['retry-after']).toBe('1');
    expect(p[4].res.body).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }] });
    p[0].raw.res.emit('finish');
    p[0].raw.res.emit('close'); // counted once
    expect(p.map((x) => x.state.started)).toEqual([true, true, true, false, false]);
    p[1].raw.res.emit('close');
    expect(p[3].state.started).toBe(true);
  });

  it('drops a waiting request whose client went away and lets GET through', () => {
    const admit = graphqlAdmission({ maxActive: 1, activeMs: 60_000, maxInFlight: 1, maxQueued: 5 });
    const [a, gone, c] = [pair(), pair(), pair()];
    admit(a.req, a.res, a.next);
    admit(gone.req, gone.res, gone.next);
    admit(c.req, c.res, c.next);
    gone.raw.req.destroyed = true;
    a.raw.res.emit('finish');
    expect(gone.state.started).toBe(false);
    expect(c.state.started).toBe(true);
    const get = pair('GET');
    admit(get.req, get.res, get.next);
    expect(get.state.started).toBe(true);
  });

  it('starts a waiting request in its own async context, not in the one of the request that made room', () => {
    const als = new AsyncLocalStorage<string>();
    const admit = graphqlAdmission({ maxActive: 1, activeMs: 60_000, maxInFlight: 1, maxQueued: 5 });
    const a = pair();
    const b = pair();
    let seen: string | undefined;
    als.run('a', () => admit(a.req, a.res, a.next));
    als.run('b', () => admit(b.req, b.res, () => (seen = als.getStore())));
    als.run('a', () => a.raw.res.emit('finish'));
    expect(seen).toBe('b');
  });
  it('lets the next request start when one has been unfinished for activeMs, up to maxInFlight in all, in order', () => {
    jest.useFakeTimers();
    try {
      const admit = graphqlAdmission({ maxActive: 2, activeMs: 50, maxInFlight: 3, maxQueued: 10 });
      const p = Array.from({ length: 5 }, () => pair());
      for (const x of p) admit(x.req, x.res, x.next);
      expect(p.map((x) => x.state.started)).toEqual([true, true, false, false, false]);
      jest.advanceTimersByTime(49);
      expect(p[2].state.started).toBe(false);
      // Both have run 50 ms: taken to be waiting; only one more fits under maxInFlight.
      jest.advanceTimersByTime(1);
      expect(p.map((x) => x.state.started)).toEqual([true, true, true, false, false]);
      // A waiting one finishing makes room in flight; the third is still active (started 0 ms ago), so one more.
      p[0].raw.res.emit('finish');
      expect(p.map((x) => x.state.started)).toEqual([true, true, true, true, false]);
      // Two active now (2 and 3): the last waits for one of them, not for the waiting one (1).
      p[1].raw.res.emit('finish');
      expect(p[4].state.started).toBe(false);
      p[3].raw.res.emit('finish');
      expect(p[4].state.started).toBe(true);
      // Finishing after having been demoted counts once.
      jest.advanceTimersByTime(100);
      for (const x of p) x.raw.res.emit('close');
      const q = Array.from({ length: 3 }, () => pair());
      for (const x of q) admit(x.req, x.res, x.next);
      expect(q.map((x) => x.state.started)).toEqual([true, true, false]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts a new request behind those already waiting, never ahead of them', () => {
    jest.useFakeTimers();
    try {
      const admit = graphqlAdmission({ maxActive: 1, activeMs: 50, maxInFlight: 1, maxQueued: 10 });
      const [a, b, c] = [pair(), pair(), pair()];
      const order: string[] = [];
      admit(a.req, a.res, () => order.push('a'));
      admit(b.req, b.res, () => order.push('b'));
      a.raw.res.emit('finish');
      admit(c.req, c.res, () => order.push('c'));
      b.raw.res.emit('finish');
      expect(order).toEqual(['a', 'b', 'c']);
    } finally {
      jest.useRealTimers();
    }
  });
});
