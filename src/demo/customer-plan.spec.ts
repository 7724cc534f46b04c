import { normalizePhone } from 'src/modules/customers/services/phone';
import {
  DEMO_CHANNELS,
  DEMO_CUSTOMER_COUNT,
  DEMO_DEPARTURE,
  DEMO_HISTORY_DAYS,
  DEMO_ON_JOB_TRANSFER,
} from './crm-data';
import { ALL_TAG_REFS, apportion, planDemoCustomers, SALES_REPS } from './customer-plan';

const NOW = new Date('2026-11-22T03:00:00Z');
const DAY = 86_400_000;

describe('demo customer plan', () => {
  const plan = planDemoCustomers(NOW);
  const recorded = plan.customers.filter((c) => !c.manual);

  it('plans 400 customers with unique WeChat ids and valid, unique phone numbers', () => {
    expect(plan.customers).toHaveLength(DEMO_CUSTOMER_COUNT);
    const ids = recorded.map((c) => c.externalId);
    expect(ids.every((id) => /^wm_[A-Za-z0-9]{8}$/.test(id!))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(plan.customers.map((c) => c.key)).size).toBe(plan.customers.length);
    const phones = plan.customers.map((c) => c.phone).filter((p): p is string => !!p);
    expect(phones.length / plan.customers.length).toBeGreaterThan(0.85);
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of phones) expect(normalizePhone(p, 'phone')).toBe(p);
    expect(phones.filter((p) => /^1[3-9]\d{9}$/.test(p)).length / phones.length).toBeGreaterThan(0.95);
  });

  // Late morning, just after midnight and just before closing time in Shanghai.
  it.each(['2026-11-22T03:00:00Z', '2026-11-21T16:10:00Z', '2026-11-22T13:59:00Z'])(
    'places every relation in the last 120 days, never in the future, in order (now %s)',
    (iso) => {
      const now = new Date(iso);
      for (const c of planDemoCustomers(now).customers.filter((x) => !x.manual)) {
        for (const f of c.follows) {
          expect(f.addedAt.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(f.addedAt.getTime()).toBeGreaterThan(now.getTime() - (DEMO_HISTORY_DAYS + 1) * DAY);
        }
        if (c.follows[1]) expect(c.follows[1].addedAt.getTime()).toBeGreaterThan(c.follows[0].addedAt.getTime());
        if (c.ended) {
          expect(c.ended.at.getTime()).toBeGreaterThan(c.follows[0].addedAt.getTime());
          expect(c.ended.at.getTime()).toBeLessThan(now.getTime());
        }
      }
    },
  );

  it('adds channel customers to the channel’s own employees, within the campaign window', () => {
    for (const c of recorded.filter((x) => x.follows[0].state)) {
      const channel = DEMO_CHANNELS.find((d) => d.state === c.follows[0].state)!;
      expect(channel.employees).toContain(c.follows[0].employee);
      const daysAgo = (NOW.getTime() - c.follows[0].addedAt.getTime()) / DAY;
      expect(daysAgo).toBeLessThanOrEqual(channel.window.from + 1);
      expect(daysAgo).toBeGreaterThanOrEqual(channel.window.to - 1);
    }
    for (const d of DEMO_CHANNELS)
      expect(recorded.filter((c) => c.follows[0].state === d.state).length).toBeGreaterThan(5);
  });

  it('uses only known tags, and keeps hand-over customers apart from ended relations and second follows', () => {
    for (const c of plan.customers) for (const t of c.tags) expect(ALL_TAG_REFS).toContain(t);
    const handedOver = new Set([...plan.onJob.customers, ...plan.departure.accepted, ...plan.departure.refused]);
    for (const c of plan.customers.filter((x) => handedOver.has(x.key))) {
      expect(c.ended).toBeNull();
      expect(c.follows).toHaveLength(1);
      expect([DEMO_ON_JOB_TRANSFER.from, DEMO_DEPARTURE.employee]).toContain(c.follows[0].employee);
    }
    expect(plan.onJob.customers).toHaveLength(DEMO_ON_JOB_TRANSFER.customers);
    for (const c of plan.customers)
      for (const f of c.follows.slice(1)) expect(f.employee).not.toBe(DEMO_DEPARTURE.employee);
  });

  it('gives the same people for any reference time (only their dates move)', () => {
    const other = planDemoCustomers(new Date(NOW.getTime() + 37 * DAY + 12_345));
    const shape = (p: typeof plan) =>
      p.customers.map((c) => [
        c.key,
        c.name,
        c.phone,
        c.stage,
        c.tags.join(),
        c.notes.map((n) => n.body).join(),
        c.follows.map((f) => f.employee).join(),
        c.ended?.by,
      ]);
    expect(shape(other)).toEqual(shape(plan));
    expect(other.onJob).toEqual(plan.onJob);
    expect(other.departure).toEqual(plan.departure);
  });

  it('apportions by weight with at least one each', () => {
    const out = apportion([['a', 5], ['b', 1], ['c', 0.01]], 100);
    expect([...out.values()].reduce((x, y) => x + y, 0)).toBe(100);
    expect(out.get('c')).toBe(1);
    expect(out.get('a')).toBeGreaterThan(4 * out.get('b')!);
    expect(SALES_REPS).toHaveLength(28);
  });
});
