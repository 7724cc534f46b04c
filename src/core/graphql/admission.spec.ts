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
  return { req: req as unknown as Request, res: res as unknown as Response & typeof res, next, state, raw: { req, res } };
}

describe('graphqlAdmission', () => {
  it('runs at most maxInFlight requests, starts waiting ones in order as others finish, sheds past maxQueued', () => {
    const admit = graphqlAdmission({ maxInFlight: 2, maxQueued: 2 });
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
    const admit = graphqlAdmission({ maxInFlight: 1, maxQueued: 5 });
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
    const admit = graphqlAdmission({ maxInFlight: 1, maxQueued: 5 });
    const a = pair();
    const b = pair();
    let seen: string | undefined;
    als.run('a', () => admit(a.req, a.res, a.next));
    als.run('b', () => admit(b.req, b.res, () => (seen = als.getStore())));
    als.run('a', () => a.raw.res.emit('finish'));
    expect(seen).toBe('b');
  });
});
