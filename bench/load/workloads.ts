/**
 * What each virtual client sends next. `fixed`: every client repeats its own
 * request (the customers-list scenarios, the baselines). `mixed`: the 70 % read
 * / 30 % write workload of sales reps, managers and admins, drawn from a
 * seeded PRNG per client; writes pick ids the client may touch so a correct
 * server answers every request without an error.
 */
import { pick, prng } from 'bench/support/stats';
import {
  ADD_NOTE,
  CREATE_CUSTOMER,
  CUSTOMER_DETAIL,
  CUSTOMERS_LIST,
  gqlBody,
  ME,
  RECORD_ADDED,
  RECORD_ENDED,
  TAG,
  UNTAG,
  UPDATE_CUSTOMER,
} from './queries';

export interface RequestSpec {
  kind: string;
  body: string;
  headers: Record<string, string>;
  onResponse?(ok: boolean, body: string): void;
}

export interface Workload {
  next(client: number): RequestSpec;
}

export interface FixedRequest {
  kind: string;
  body: string;
  headers: Record<string, string>;
}

export interface MixedClient {
  role: 'sales' | 'manager' | 'admin';
  token: string;
  employeeId: string;
  /** Customers the client may read and (sales) update. */
  customerIds: string[];
  tagIds: string[];
  /** admin: employees (not clients) with room to take new customers. */
  addToEmployeeIds?: string[];
  /** admin: ACTIVE relations of non-client employees, each ended once. */
  relationIds?: string[];
}

export type WorkloadSpec =
  /** `cycle`: client c sends requests c, c + clients, c + 2 × clients, ... (many users over few connections). */
  | { type: 'fixed'; requests: FixedRequest[]; cycle?: { clients: number } }
  | { type: 'mixed'; clients: MixedClient[]; runId: string };

export function makeWorkload(spec: WorkloadSpec, seed: number): Workload {
  if (spec.type === 'fixed') {
    const reqs = spec.requests;
    const cycle = spec.cycle;
    if (!cycle) return { next: (client) => reqs[client % reqs.length] };
    const pos = new Map<number, number>();
    return {
      next: (client) => {
        const k = pos.get(client) ?? client;
        pos.set(client, k + cycle.clients);
        return reqs[k % reqs.length];
      },
    };
  }
  return new MixedWorkload(spec.clients, spec.runId, seed);
}

const STAGES = ['NEW', 'CONTACTED', 'INTERESTED', 'NEGOTIATING', 'WON', 'LOST'];
const NOTES = [
  '回访：客户考虑中',
  'Called back, considering',
  '发送了新品目录',
  'Sent the new catalogue',
  '约了到店时间',
  'Booked a store visit',
];

type Op = (
  c: MixedClient,
  state: ClientState,
) => { kind: string; query: string; variables?: Record<string, unknown>; cursor?: boolean };

interface ClientState {
  rand: () => number;
  cursor: string | null;
  created: number;
  relationNext: number;
}

const READS: Array<[number, Op]> = [
  [35, () => ({ kind: 'read.list', query: CUSTOMERS_LIST, variables: { first: 20 }, cursor: true })],
  [
    10,
    (c, s) => ({
      kind: 'read.list.stage',
      query: CUSTOMERS_LIST,
      variables: { first: 20, filter: { stages: [pick(s.rand, STAGES)] } },
      cursor: true,
    }),
  ],
  [
    8,
    (c, s) => ({
      kind: 'read.list.tag',
      query: CUSTOMERS_LIST,
      variables: { first: 20, filter: { tagIds: [pick(s.rand, c.tagIds.slice(0, 6))] } },
      cursor: true,
    }),
  ],
  [
    12,
    (c, s) =>
      s.cursor
        ? { kind: 'read.list.next', query: CUSTOMERS_LIST, variables: { first: 20, after: s.cursor }, cursor: true }
        : { kind: 'read.list', query: CUSTOMERS_LIST, variables: { first: 20 }, cursor: true },
  ],
  [25, (c, s) => ({ kind: 'read.detail', query: CUSTOMER_DETAIL, variables: { id: pick(s.rand, c.customerIds) } })],
  [10, () => ({ kind: 'read.me', query: ME })],
];

const SALES_WRITES: Array<[number, Op]> = [
  [
    35,
    (c, s) => ({
      kind: 'write.updateStage',
      query: UPDATE_CUSTOMER,
      variables: { input: { id: pick(s.rand, c.customerIds), stage: pick(s.rand, STAGES) } },
    }),
  ],
  [
    35,
    (c, s) => ({
      kind: 'write.note',
      query: ADD_NOTE,
      variables: {
        input: {
          customerId: pick(s.rand, c.customerIds),
          kind: pick(s.rand, ['NOTE', 'CALL', 'VISIT']),
          body: pick(s.rand, NOTES),
        },
      },
    }),
  ],
  [
    12,
    (c, s) => ({
      kind: 'write.tag',
      query: TAG,
      variables: { input: { customerIds: [pick(s.rand, c.customerIds)], tagIds: [pick(s.rand, c.tagIds)] } },
    }),
  ],
  [
    6,
    (c, s) => ({
      kind: 'write.untag',
      query: UNTAG,
      variables: { input: { customerIds: [pick(s.rand, c.customerIds)], tagIds: [pick(s.rand, c.tagIds)] } },
    }),
  ],
  [
    12,
    (c, s) => ({
      kind: 'write.createCustomer',
      query: CREATE_CUSTOMER,
      variables: {
        input: {
          employeeId: c.employeeId,
          addWay: 'QR_CODE',
          customer: {
            name: `新客户 New ${++s.created}`,
            phone: `139${String(Math.floor(s.rand() * 1e8)).padStart(8, '0')}`,
          },
        },
      },
    }),
  ],
];

function adminWrites(runId: string, client: number): Array<[number, Op]> {
  return [
    [
      50,
      (c, s) => ({
        kind: 'write.recordAdded',
        query: RECORD_ADDED,
        variables: {
          input: {
            employeeId: pick(s.rand, c.addToEmployeeIds ?? []),
            addWay: 'QR_CODE',
            state: 'ch-1',
            customer: {
              externalId: `wm-bench-${runId}-${client}-${++s.created}`,
              name: `Bench ${s.created} 客户`,
              company: 'Bench Co.',
            },
          },
        },
      }),
    ],
    [
      30,
      (c, s) => {
        const ids = c.relationIds ?? [];
        if (s.relationNext >= ids.length)
          return {
            kind: 'write.updateStage',
            query: UPDATE_CUSTOMER,
            variables: { input: { id: pick(s.rand, c.customerIds), stage: pick(s.rand, STAGES) } },
          };
        return {
          kind: 'write.recordEnded',
          query: RECORD_ENDED,
          variables: {
            input: { relationId: ids[s.relationNext++], endedBy: s.rand() < 0.7 ? 'CUSTOMER' : 'EMPLOYEE' },
          },
        };
      },
    ],
    [
      20,
      (c, s) => ({
        kind: 'write.tag',
        query: TAG,
        variables: { input: { customerIds: [pick(s.rand, c.customerIds)], tagIds: [pick(s.rand, c.tagIds)] } },
      }),
    ],
  ];
}

function choose(r: () => number, ops: Array<[number, Op]>): Op {
  const total = ops.reduce((a, o) => a + o[0], 0);
  let x = r() * total;
  for (const [w, op] of ops) if ((x -= w) < 0) return op;
  return ops[ops.length - 1][1];
}

class MixedWorkload implements Workload {
  private readonly states: ClientState[];
  private readonly writes: Array<Array<[number, Op]>>;

  constructor(
    private readonly clients: MixedClient[],
    runId: string,
    seed: number,
  ) {
    this.states = clients.map((_, i) => ({ rand: prng(seed * 31 + i), cursor: null, created: 0, relationNext: 0 }));
    this.writes = clients.map((c, i) =>
      c.role === 'admin' ? adminWrites(runId, i) : c.role === 'sales' ? SALES_WRITES : [],
    );
  }

  next(client: number): RequestSpec {
    const c = this.clients[client % this.clients.length];
    const s = this.states[client % this.clients.length];
    const writes = this.writes[client % this.clients.length];
    // Managers only read; sales and admins write a bit more than 30 % so the whole mix is ~70/30.
    const writeShare = writes.length ? 0.34 : 0;
    const op = s.rand() < writeShare ? choose(s.rand, writes) : choose(s.rand, READS);
    const o = op(c, s);
    return {
      kind: o.kind,
      body: gqlBody(o.query, o.variables),
      headers: { authorization: `Bearer ${c.token}` },
      onResponse: o.cursor
        ? (ok, body) => {
            const m = ok ? /"hasNextPage":true,"endCursor":"([^"]+)"/.exec(body) : null;
            s.cursor = m ? m[1] : null;
          }
        : undefined,
    };
  }
}
