/**
 * The deterministic shape of the generated data, computed in Node from the
 * scale and the seed: sizes, the department tree and every employee of the
 * large organization (roles, department, and how many relations each holds).
 * Everything bulky (customers, relations, tags, notes, timeline) is generated
 * from this plan inside PostgreSQL with hash-derived values.
 */
import { createHash } from 'node:crypto';
import { prng } from 'bench/support/stats';
import { EN_FIRST, EN_LAST, REGION_NAMES, ZH_CITIES, ZH_GIVEN, ZH_SURNAMES } from './pools';

/** Bump when the generated data changes shape: databases of another version are regenerated. */
export const GENERATOR_VERSION = 4;

/** Reference "now" of the generated history (fixed, so two runs generate the same rows). */
export const ANCHOR = '2026-11-01T00:00:00.000Z';

export interface Sizes {
  scale: number;
  employees: number;
  customers: number;
  relations: number;
  smallOrgs: number;
  regions: number;
  teamsPerRegion: number;
  /** Upper bound of the relations (any status) one sales rep holds. */
  quotaCap: number;
}

export function sizesFor(scale: number, overrides: Partial<Sizes> = {}): Sizes {
  const r = Math.sqrt(Math.min(1, scale));
  const customers = Math.max(1_000, Math.round(1_000_000 * scale));
  return {
    scale,
    employees: Math.max(16, Math.round(2_000 * scale)),
    customers,
    relations: Math.round(3_000_000 * scale),
    smallOrgs: Math.max(20, Math.round(9_999 * scale)),
    regions: Math.max(1, Math.round(6 * r)),
    teamsPerRegion: Math.max(2, Math.round(9 * r)),
    quotaCap: Math.min(6_000, Math.floor(customers * 0.9)),
    ...overrides,
  };
}

/**
 * A v4-shaped uuid derived from md5 (class-validator only accepts versioned
 * ids on input). Mirrors `bench_gen.uid(k, i)` in SQL exactly.
 */
export function uid(seed: number, kind: string, i: number | bigint): string {
  const h = createHash('md5').update(`${seed}:${kind}:${i}`).digest('hex');
  const v = `${h.slice(0, 12)}4${h.slice(13, 16)}8${h.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}

export interface PlanDepartment {
  idx: number;
  id: string;
  parentIdx: number | null;
  name: string;
  path: string;
  level: 1 | 2 | 3;
}

export type Role = 'admin' | 'manager' | 'sales' | 'marketer' | 'auditor';

export interface PlanEmployee {
  idx: number;
  id: string;
  deptIdx: number;
  roles: Role[];
  name: string;
  email: string;
  title: string;
  externalId: string;
  createdAt: string;
  /** Relations (any status) held; sales only. */
  quota: number;
  /** Customers of a rep: (offset + j * stride) mod customers, j < quota (distinct since stride is coprime). */
  offset: number;
  stride: number;
}

export interface Plan {
  seed: number;
  sizes: Sizes;
  orgId: string;
  orgSlug: string;
  orgName: string;
  departments: PlanDepartment[];
  employees: PlanEmployee[];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Lognormal weights scaled so the capped quotas add up to `total` exactly. */
function quotas(rand: () => number, n: number, total: number, cap: number): number[] {
  if (n === 0) return [];
  if (total > n * cap) cap = Math.ceil(total / n);
  const w = Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.exp(0.9 * z);
  });
  let lo = 0;
  let hi = (total / w.reduce((a, b) => a + b, 0)) * 100;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    const s = w.reduce((a, x) => a + Math.min(cap, x * mid), 0);
    if (s < total) lo = mid;
    else hi = mid;
  }
  const raw = w.map((x) => Math.min(cap, x * hi));
  const q = raw.map(Math.floor);
  let missing = total - q.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; missing > 0; k = (k + 1) % n) {
    const i = order[k][1];
    if (q[i] < cap) {
      q[i]++;
      missing--;
    }
  }
  return q;
}

export function buildPlan(scale: number, seed: number, overrides: Partial<Sizes> = {}): Plan {
  const sizes = sizesFor(scale, overrides);
  const rand = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const orgId = uid(seed, 'o', 0);

  // Departments: root, regions, teams (3 levels).
  const departments: PlanDepartment[] = [];
  const rootId = uid(seed, 'd', 0);
  departments.push({ idx: 0, id: rootId, parentIdx: null, name: '总部 Headquarters', path: `/${rootId}/`, level: 1 });
  const teams: number[] = [];
  for (let r = 0; r < sizes.regions; r++) {
    const idx = departments.length;
    const id = uid(seed, 'd', idx);
    const region: PlanDepartment = {
      idx,
      id,
      parentIdx: 0,
      name: REGION_NAMES[r % REGION_NAMES.length] + (r >= REGION_NAMES.length ? ` ${r + 1}` : ''),
      path: `/${rootId}/${id}/`,
      level: 2,
    };
    departments.push(region);
    for (let t = 0; t < sizes.teamsPerRegion; t++) {
      const tidx = departments.length;
      const tid = uid(seed, 'd', tidx);
      departments.push({
        idx: tidx,
        id: tid,
        parentIdx: idx,
        name: `${ZH_CITIES[(r * sizes.teamsPerRegion + t) % ZH_CITIES.length]}${t + 1}组 Team ${r + 1}-${t + 1}`,
        path: `${region.path}${tid}/`,
        level: 3,
      });
      teams.push(tidx);
    }
  }
  const regions = departments.filter((d) => d.level === 2).map((d) => d.idx);

  // Roles: 2 admins, ~1 % marketers, ~0.5 % auditors, ~5 % managers
  // (one per region and team, then deputies), the rest sales.
  const E = sizes.employees;
  const roleOf: Array<{ roles: Role[]; dept: number; title: string }> = [];
  for (let j = 0; j < 2; j++) roleOf.push({ roles: ['admin'], dept: 0, title: '系统管理员 Administrator' });
  for (let j = 0; j < Math.max(1, Math.round(E * 0.01)); j++)
    roleOf.push({ roles: ['marketer'], dept: 0, title: '市场专员 Marketing' });
  for (let j = 0; j < Math.max(1, Math.round(E * 0.005)); j++)
    roleOf.push({ roles: ['auditor'], dept: 0, title: '合规审计 Compliance' });
  for (const r of regions) roleOf.push({ roles: ['manager'], dept: r, title: '大区经理 Regional manager' });
  for (const t of teams) roleOf.push({ roles: ['manager'], dept: t, title: '销售主管 Team lead' });
  const managers = Math.max(regions.length + teams.length, Math.round(E * 0.05));
  for (let j = regions.length + teams.length; j < managers; j++) {
    roleOf.push({ roles: ['manager'], dept: teams[j % teams.length], title: '副主管 Deputy lead' });
  }
  const salesStart = roleOf.length;
  for (let j = salesStart; j < E; j++)
    roleOf.push({ roles: ['sales'], dept: teams[(j - salesStart) % teams.length], title: '销售顾问 Sales' });

  const salesCount = E - salesStart;
  const q = quotas(rand, salesCount, sizes.relations, sizes.quotaCap);
  const anchor = Date.parse(ANCHOR);
  const employees: PlanEmployee[] = roleOf.slice(0, E).map((r, j) => {
    const idx = j + 1;
    const zh = rand() < 0.8;
    const name = zh
      ? pick(ZH_SURNAMES) + pick(ZH_GIVEN) + (rand() < 0.6 ? pick(ZH_GIVEN) : '')
      : `${pick(EN_FIRST)} ${pick(EN_LAST)}`;
    let stride = 1 + Math.floor(rand() * (sizes.customers - 1));
    while (gcd(stride, sizes.customers) !== 1) stride = (stride + 1) % sizes.customers || 1;
    return {
      idx,
      id: uid(seed, 'e', idx),
      deptIdx: r.dept,
      roles: r.roles,
      name,
      email: `e${idx}@yuemei.bench.invalid`,
      title: r.title,
      externalId: `u${idx}`,
      createdAt: new Date(anchor - Math.floor(rand() * 1_500 * 86_400_000)).toISOString(),
      quota: j >= salesStart ? q[j - salesStart] : 0,
      offset: Math.floor(rand() * sizes.customers),
      stride,
    };
  });
  return { seed, sizes, orgId, orgSlug: 'yuemei', orgName: '悦美集团 Yuemei Group', departments, employees };
}
