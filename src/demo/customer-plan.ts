/**
 * The demo customers as a plan: who they are, whom they added when and how,
 * where they stand in the funnel, their tags, notes and tasks, which relations
 * end and which customers are handed over. A pure function of the seed and the
 * seed run's reference time, so every step that executes a part of it sees the
 * same plan, and unit tests can check it without a database.
 *
 * Random choices never depend on the reference time (it only places them on
 * the calendar), so the same seed gives the same people on every machine.
 */
import { AddWay, CustomerStage, NoteKind, RelationEndedBy } from 'src/modules/customers/types/customer.types';
import {
  CALL_TEMPLATES,
  COMPANIES,
  DEMO_CHANNELS,
  DEMO_CUSTOMER_COUNT,
  DEMO_DEPARTURE,
  DEMO_ENDED_RELATIONS,
  DEMO_HISTORY_DAYS,
  DEMO_MANUAL_CUSTOMER_COUNT,
  DEMO_ON_JOB_TRANSFER,
  DEMO_REP_WEIGHTS,
  DEMO_TAG_GROUPS,
  DemoChannel,
  DemoTagRef,
  ENGLISH_FIRST,
  FEMALE_GIVEN,
  MALE_GIVEN,
  MOBILE_PREFIXES,
  NICKNAMES,
  NOTE_TEMPLATES,
  PINYIN_SURNAMES,
  PRODUCTS,
  REMARK_SUFFIXES,
  STORE_SHORT_NAMES,
  SURNAMES,
  TASK_TEMPLATES,
  VISIT_TEMPLATES,
} from './crm-data';
import { DEMO_EMPLOYEES, DEMO_RANDOM_SEED } from './demo-data';
import { Rng, stepRng } from './prng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Shanghai has no daylight saving time: local time is UTC+8 all year. */
const SHANGHAI_OFFSET = 8 * HOUR;

export interface PlannedFollow {
  /** Employee external id (seed key `emp:<employee>`). */
  employee: string;
  addWay: AddWay;
  state: string | null;
  addedAt: Date;
  remark: string | null;
}

export interface PlannedNote {
  kind: NoteKind;
  body: string;
  dueAt: Date | null;
  /** TASK only: completed by the seed. */
  done: boolean;
}

export interface PlannedCustomer {
  /** Seed key: `cust:<externalId>`, or `cust:manual-<n>` for customers entered by hand. */
  key: string;
  /** WeChat external_userid (`wm_` + 8); null for customers entered by hand (no WeChat). */
  externalId: string | null;
  name: string;
  company: string | null;
  phone: string | null;
  /** Entered by hand by the owner (createCustomer) rather than reported by the connector. */
  manual: boolean;
  /** The first relation is the owner's; a few customers follow a second employee. */
  follows: PlannedFollow[];
  stage: CustomerStage;
  /** Tags the owner gives (channel tags come on their own through attribution). */
  tags: DemoTagRef[];
  /** Written by the owner, oldest first. */
  notes: PlannedNote[];
  /** The owner's relation ends: by the customer (a lost customer) or by the employee. */
  ended: { by: RelationEndedBy; at: Date } | null;
}

export interface CustomerPlan {
  customers: PlannedCustomer[];
  onJob: { customers: string[]; accepted: string[]; refused: string[] };
  departure: { accepted: string[]; refused: string[] };
}

export const SALES_REPS: readonly string[] = DEMO_EMPLOYEES.filter((e) => e.roles.includes('sales')).map(
  (e) => e.externalId,
);
const departmentOf = (employee: string): string => DEMO_EMPLOYEES.find((e) => e.externalId === employee)!.department;

/** Splits `total` by weight (largest remainder), every rep at least one. */
export function apportion(weights: ReadonlyArray<[string, number]>, total: number): Map<string, number> {
  const sum = weights.reduce((a, [, w]) => a + w, 0);
  const raw = weights.map(([k, w]) => [k, Math.max(1, (total * w) / sum)] as const);
  const out = new Map(raw.map(([k, v]) => [k, Math.floor(v)]));
  let left = total - [...out.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...raw].sort(
    (a, b) => b[1] - Math.floor(b[1]) - (a[1] - Math.floor(a[1])) || a[0].localeCompare(b[0]),
  );
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--)
    out.set(byRemainder[i][0], out.get(byRemainder[i][0])! + 1);
  return out;
}

/** A time `daysAgo` Shanghai days before `now`, in shop hours (10:00-21:59), never after `now`. */
function shopTime(now: Date, daysAgo: number, rng: Rng): Date {
  const minuteOfDay = rng.int(10 * 60, 21 * 60 + 59);
  const ms = rng.int(0, 59_999);
  const fallbackMinutes = rng.int(3, 90);
  const localMidnight = Math.floor((now.getTime() + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
  const t = localMidnight - daysAgo * DAY + minuteOfDay * MINUTE + ms;
  return new Date(t <= now.getTime() - MINUTE ? t : now.getTime() - fallbackMinutes * MINUTE - ms);
}

function daysAgoIn(window: DemoChannel['window'], rng: Rng): number {
  const u1 = rng.next();
  const u2 = rng.next();
  if (window.peak === undefined) return Math.round(window.to + u1 * (window.from - window.to));
  const half = Math.max(window.from - window.peak, window.peak - window.to);
  return Math.min(window.from, Math.max(window.to, Math.round(window.peak + (u1 - u2) * half)));
}

function weighted<T>(rng: Rng, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((a, [, w]) => a + w, 0);
  let u = rng.next() * total;
  for (const [v, w] of options) {
    if ((u -= w) < 0) return v;
  }
  return options[options.length - 1][0];
}

const fill = (template: string, rng: Rng): string => template.replace('{p}', rng.pick(PRODUCTS));

function stageFor(daysAgo: number, rng: Rng): CustomerStage {
  const S = CustomerStage;
  if (daysAgo < 7) return weighted(rng, [[S.NEW, 60], [S.CONTACTED, 30], [S.INTERESTED, 10]]);
  if (daysAgo < 30)
    return weighted(rng, [
      [S.NEW, 25],
      [S.CONTACTED, 35],
      [S.INTERESTED, 25],
      [S.NEGOTIATING, 8],
      [S.WON, 7],
    ]);
  return weighted(rng, [
    [S.NEW, 10],
    [S.CONTACTED, 22],
    [S.INTERESTED, 20],
    [S.NEGOTIATING, 10],
    [S.WON, 33],
    [S.LOST, 5],
  ]);
}

function tagsFor(stage: CustomerStage, viaChannel: boolean, addWay: AddWay, rng: Rng): DemoTagRef[] {
  const tags: DemoTagRef[] = [];
  if (rng.chance(0.7)) tags.push(`skin/${rng.pick(['dry', 'oily', 'combination', 'combination', 'sensitive'])}`);
  const interests = rng.sample(
    ['skincare', 'skincare', 'makeup', 'fragrance'],
    weighted(rng, [
      [0, 30],
      [1, 50],
      [2, 20],
    ]),
  );
  for (const i of new Set(interests)) tags.push(`interest/${i}`);
  if (stage === CustomerStage.WON) tags.push(`tier/${weighted(rng, [['silver', 50], ['gold', 35], ['black', 15]])}`);
  else if (rng.chance(stage === CustomerStage.NEW ? 0.15 : 0.5)) tags.push('tier/regular');
  if (!viaChannel && addWay === AddWay.QR_CODE && rng.chance(0.5)) tags.push('source/store');
  return tags;
}

function notesFor(stage: CustomerStage, now: Date, rng: Rng): PlannedNote[] {
  const note = (kind: NoteKind, templates: readonly string[]): PlannedNote => ({
    kind,
    body: fill(rng.pick(templates), rng),
    dueAt: null,
    done: false,
  });
  const task = (): PlannedNote => {
    const overdue = rng.chance(0.3);
    const dueAt = new Date(now.getTime() + (overdue ? -rng.int(1, 6) : rng.int(1, 10)) * DAY + rng.int(-3, 3) * HOUR);
    return {
      kind: NoteKind.TASK,
      body: fill(rng.pick(TASK_TEMPLATES), rng),
      dueAt,
      done: rng.chance(overdue ? 0.5 : 0.1),
    };
  };
  const any = (): PlannedNote => {
    const kind = weighted(rng, [[NoteKind.NOTE, 45], [NoteKind.CALL, 35], [NoteKind.VISIT, 20]]);
    return note(
      kind,
      kind === NoteKind.CALL ? CALL_TEMPLATES : kind === NoteKind.VISIT ? VISIT_TEMPLATES : NOTE_TEMPLATES,
    );
  };
  const out: PlannedNote[] = [];
  switch (stage) {
    case CustomerStage.NEW:
      if (rng.chance(0.2)) out.push(note(NoteKind.NOTE, NOTE_TEMPLATES));
      break;
    case CustomerStage.CONTACTED:
      out.push(rng.chance(0.5) ? note(NoteKind.CALL, CALL_TEMPLATES) : note(NoteKind.NOTE, NOTE_TEMPLATES));
      if (rng.chance(0.25)) out.push(any());
      break;
    case CustomerStage.INTERESTED:
    case CustomerStage.NEGOTIATING:
      out.push(any());
      if (rng.chance(0.4)) out.push(any());
      if (rng.chance(0.6)) out.push(task());
      break;
    case CustomerStage.WON:
      out.push(rng.chance(0.6) ? note(NoteKind.VISIT, VISIT_TEMPLATES) : note(NoteKind.NOTE, NOTE_TEMPLATES));
      if (rng.chance(0.3)) out.push(note(NoteKind.NOTE, NOTE_TEMPLATES));
      if (rng.chance(0.2)) out.push(task());
      break;
    case CustomerStage.LOST:
      out.push({ kind: NoteKind.NOTE, body: '客户表示近期没有购买计划，暂不跟进。', dueAt: null, done: false });
      break;
  }
  return out;
}

interface Person {
  name: string;
  surname: string;
  female: boolean;
  nickname: boolean;
}

function person(rng: Rng): Person {
  const female = rng.chance(0.85);
  const surname = rng.pick(SURNAMES);
  const given = female ? rng.pick(FEMALE_GIVEN) : rng.pick(MALE_GIVEN);
  const kind = weighted(rng, [['chinese', 76], ['english', 9], ['mixed', 6], ['nickname', 9]] as const);
  const english = rng.pick(ENGLISH_FIRST);
  const pinyin = rng.pick(PINYIN_SURNAMES);
  const nick = rng.pick(NICKNAMES);
  switch (kind) {
    case 'english':
      return { name: `${english} ${pinyin}`, surname, female, nickname: false };
    case 'mixed':
      return { name: `${english} ${surname}${given}`, surname, female, nickname: false };
    case 'nickname':
      return { name: nick, surname, female, nickname: true };
    default:
      return { name: `${surname}${given}`, surname, female, nickname: false };
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function uniqueValue(taken: Set<string>, make: () => string): string {
  for (;;) {
    const v = make();
    if (!taken.has(v)) {
      taken.add(v);
      return v;
    }
  }
}

/** The plan for one seed and reference time. */
export function planDemoCustomers(now: Date, seed = DEMO_RANDOM_SEED): CustomerPlan {
  const rng = stepRng(seed, 'customer-plan');
  const externalIds = new Set<string>();
  const phones = new Set<string>();
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

  const weights = SALES_REPS.map((r) => [r, DEMO_REP_WEIGHTS[r] ?? 0.6 + rng.next()] as [string, number]);
  const recorded = DEMO_CUSTOMER_COUNT - DEMO_MANUAL_CUSTOMER_COUNT;
  const perRep = apportion(weights, recorded);

  const customers: PlannedCustomer[] = [];
  const daysAgoOf = new Map<PlannedCustomer, number>();
  for (const rep of SALES_REPS) {
    const mine: PlannedCustomer[] = [];
    const channels = DEMO_CHANNELS.filter((c) => c.employees.includes(rep));
    const shareSum = channels.reduce((a, c) => a + c.share, 0);
    const scale = shareSum > 0.6 ? 0.6 / shareSum : 1;
    for (let i = 0; i < perRep.get(rep)!; i++) {
      const p = person(rng);
      let u = rng.next();
      const channel = channels.find((c) => (u -= c.share * scale) < 0) ?? null;
      const addWay = channel
        ? AddWay.QR_CODE
        : weighted(rng, [
            [AddWay.QR_CODE, 40],
            [AddWay.SHARED_CARD, 20],
            [AddWay.PHONE_SEARCH, 15],
            [AddWay.GROUP_CHAT, 15],
            [AddWay.OTHER, 10],
          ]);
      const daysAgo = channel
        ? daysAgoIn(channel.window, rng)
        : Math.floor(DEMO_HISTORY_DAYS * Math.pow(rng.next(), 1.4));
      const addedAt = shopTime(now, daysAgo, rng);
      const phoneKind = weighted(rng, [['mainland', 88], ['hk', 2], ['none', 10]] as const);
      const phone =
        phoneKind === 'none'
          ? null
          : uniqueValue(phones, () =>
              phoneKind === 'hk'
                ? `+852${rng.pick(['5', '6', '9'])}${digits(7)}`
                : `${rng.pick(MOBILE_PREFIXES)}${digits(8)}`,
            );
      const company = rng.chance(0.2) ? rng.pick(COMPANIES) : null;
      const stage = stageFor(daysAgo, rng);
      const honorific = `${p.surname}${p.female ? '女士' : '先生'}`;
      const store = STORE_SHORT_NAMES[departmentOf(rep)] ?? '';
      const suffix = fill(rng.pick(REMARK_SUFFIXES), rng);
      const remark = p.nickname ? `${honorific} ${store}` : rng.chance(0.3) ? `${p.name} ${suffix}` : null;
      const externalId = uniqueValue(
        externalIds,
        () => `wm_${Array.from({ length: 8 }, () => ALNUM[rng.int(0, ALNUM.length - 1)]).join('')}`,
      );
      const c: PlannedCustomer = {
        key: `cust:${externalId}`,
        externalId,
        name: p.name,
        company,
        phone,
        manual: false,
        follows: [{ employee: rep, addWay, state: channel?.state ?? null, addedAt, remark }],
        stage,
        tags: tagsFor(stage, !!channel, addWay, rng),
        notes: notesFor(stage, now, rng),
        ended: null,
      };
      daysAgoOf.set(c, daysAgo);
      mine.push(c);
    }
    // Each rep's customers arrive in time order.
    mine.sort((a, b) => a.follows[0].addedAt.getTime() - b.follows[0].addedAt.getTime());
    customers.push(...mine);
  }

  // Walk-in customers without WeChat, entered by hand in the flagship stores.
  for (let i = 1; i <= DEMO_MANUAL_CUSTOMER_COUNT; i++) {
    const p = person(rng);
    const rep = rng.pick(['zhangwei', 'wangfang', 'majun', 'liangyu']);
    customers.push({
      key: `cust:manual-${i}`,
      externalId: null,
      name: p.nickname ? `${p.surname}${p.female ? '女士' : '先生'}` : p.name,
      company: null,
      phone: uniqueValue(phones, () => `${rng.pick(MOBILE_PREFIXES)}${digits(8)}`),
      manual: true,
      follows: [{ employee: rep, addWay: AddWay.OTHER, state: null, addedAt: now, remark: '到店登记 Walk-in' }],
      stage: CustomerStage.NEW,
      tags: ['source/store', ...(rng.chance(0.5) ? ['tier/regular'] : [])],
      notes: [{ kind: NoteKind.VISIT, body: fill(rng.pick(VISIT_TEMPLATES), rng), dueAt: null, done: false }],
      ended: null,
    });
  }

  const recordedOf = (rep: string) => customers.filter((c) => !c.manual && c.follows[0].employee === rep);
  const excluded = new Set<PlannedCustomer>([
    ...recordedOf(DEMO_DEPARTURE.employee),
    ...recordedOf(DEMO_ON_JOB_TRANSFER.from),
  ]);

  // Relations that end: lost customers (some of them from live
  // channels, so channel stats show losses) and a few the rep deleted.
  const eligible = customers.filter((c) => !c.manual && !excluded.has(c) && daysAgoOf.get(c)! >= 2);
  const live = new Set(DEMO_CHANNELS.filter((c) => !c.archived).map((c) => c.state));
  const { byCustomer, byCustomerFromChannels, byEmployee } = DEMO_ENDED_RELATIONS;
  const fromChannels = rng.sample(
    eligible.filter((c) => c.follows[0].state && live.has(c.follows[0].state)),
    byCustomerFromChannels,
  );
  const lost = [
    ...fromChannels,
    ...rng.sample(
      eligible.filter((c) => !fromChannels.includes(c)),
      byCustomer - fromChannels.length,
    ),
  ];
  const deleted = rng.sample(
    eligible.filter((c) => !lost.includes(c) && c.stage === CustomerStage.NEW),
    byEmployee,
  );
  // Between half an hour after the relation was added (at least a day ago) and an hour ago.
  const endAt = (c: PlannedCustomer): Date => {
    const from = c.follows[0].addedAt.getTime() + 30 * MINUTE;
    const to = now.getTime() - HOUR;
    return new Date(from + Math.floor(rng.next() * (to - from)));
  };
  for (const c of lost) {
    c.ended = { by: RelationEndedBy.CUSTOMER, at: endAt(c) };
    if (rng.chance(0.7)) c.stage = CustomerStage.LOST;
  }
  for (const c of deleted) {
    c.ended = { by: RelationEndedBy.EMPLOYEE, at: endAt(c) };
    c.notes = [{ kind: NoteKind.NOTE, body: '重复添加的微信号，已删除 Duplicate account, removed.', dueAt: null, done: false }];
  }

  // A few customers also follow a second rep (a colleague's card, the livestream host, another store).
  const followers = rng.sample(
    customers.filter((c) => !c.manual && !c.ended && !excluded.has(c) && daysAgoOf.get(c)! >= 3),
    12,
  );
  for (const c of followers) {
    const owner = c.follows[0].employee;
    const region = DEMO_EMPLOYEES.find((e) => e.externalId === owner)!.department;
    const candidates = SALES_REPS.filter(
      (r) => r !== owner && r !== DEMO_DEPARTURE.employee && r !== DEMO_ON_JOB_TRANSFER.from,
    );
    const sameStore = candidates.filter((r) => departmentOf(r) === region);
    const second = rng.chance(0.7) && sameStore.length ? rng.pick(sameStore) : rng.pick(candidates);
    const daysAgo = rng.int(0, daysAgoOf.get(c)! - 1);
    c.follows.push({
      employee: second,
      addWay: rng.chance(0.6) ? AddWay.SHARED_CARD : AddWay.QR_CODE,
      state: null,
      addedAt: shopTime(now, daysAgo, rng),
      remark: rng.chance(0.5) ? `${c.name} ${STORE_SHORT_NAMES[departmentOf(owner)] ?? ''}同事推荐` : null,
    });
  }

  // Hand-overs: chosen among customers still active with the rep when the seed hands them over.
  const onJob = rng.sample(recordedOf(DEMO_ON_JOB_TRANSFER.from), DEMO_ON_JOB_TRANSFER.customers).map((c) => c.key);
  const departing = rng
    .sample(recordedOf(DEMO_DEPARTURE.employee), DEMO_DEPARTURE.accepted + DEMO_DEPARTURE.refused)
    .map((c) => c.key);
  return {
    customers,
    onJob: {
      customers: onJob,
      accepted: onJob.slice(0, DEMO_ON_JOB_TRANSFER.accepted),
      refused: onJob.slice(DEMO_ON_JOB_TRANSFER.accepted, DEMO_ON_JOB_TRANSFER.accepted + DEMO_ON_JOB_TRANSFER.refused),
    },
    departure: {
      accepted: departing.slice(0, DEMO_DEPARTURE.accepted),
      refused: departing.slice(DEMO_DEPARTURE.accepted),
    },
  };
}

const plans = new Map<string, CustomerPlan>();
/** The plan of a seed run (computed once per reference time; steps share it). */
export function customerPlan(now: Date, seed = DEMO_RANDOM_SEED): CustomerPlan {
  const key = `${seed}:${now.getTime()}`;
  let plan = plans.get(key);
  if (!plan) {
    plans.clear();
    plan = planDemoCustomers(now, seed);
    plans.set(key, plan);
  }
  return plan;
}

/** Every tag reference of the demo, for checks: `skin/dry`, ... */
export const ALL_TAG_REFS: readonly DemoTagRef[] = DEMO_TAG_GROUPS.flatMap((g) =>
  g.tags.map((t) => `${g.key}/${t.key}`),
);
