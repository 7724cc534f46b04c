import { types } from 'pg';
import { parseTimestamptz, POOL_TYPES } from './pg-types';

const generic = types.getTypeParser(1184, 'text') as (s: string) => unknown;

const same = (text: string) => {
  const fast = parseTimestamptz(text);
  const slow = generic(text);
  return [text, fast instanceof Date ? fast.getTime() : fast, slow instanceof Date ? slow.getTime() : slow];
};

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL writes exactly as the generic parser does', () => {
    const texts = [
      '2026-12-02 04:41:05.123456+00',
      '2026-12-02 04:41:05+00',
      '2026-12-02 04:41:05.1+08',
      '2026-12-02 04:41:05.12-03',
      '2026-12-02 04:41:05.999999+05:45',
      '2026-12-02 04:41:05.0005-09:30',
      '1999-12-31 23:59:59.999+14',
      '2000-02-29 00:00:00-12',
      '1000-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999+00',
    ];
    for (const t of texts) {
      const [, fast, slow] = same(t);
      expect(fast).toBe(slow);
      expect(typeof fast).toBe('number');
    }
  });

  it('agrees with the generic parser on random instants, fractions and offsets', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pad = (v: number, w = 2) => String(v).padStart(w, '0');
    for (let i = 0; i < 5000; i++) {
      const d = new Date(Date.UTC(1000 + rand(9000), rand(12), 1 + rand(28), rand(24), rand(60), rand(60)));
      const fraction = ['', '.' + pad(rand(1000000), 6), '.' + String(rand(10)), '.' + pad(rand(100), 2)][rand(4)];
      const oh = rand(15);
      const om = [0, 30, 45][rand(3)];
      const offset = `${rand(2) ? '+' : '-'}${pad(oh)}${om ? ':' + pad(om) : ''}`;
      const text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}${offset}`;
      const [, fast, slow] = same(text);
      expect([text, fast]).toEqual([text, slow]);
    }
  });

  it('leaves every other form to the generic parser', () => {
    for (const t of [
      'infinity',
      '-infinity',
      '0044-03-15 12:00:00+00 BC',
      '0099-01-01 00:00:00+00',
      '12345-01-01 00:00:00+00',
      '1890-01-01 00:00:00+08:05:43',
      '2026-12-02 04:41:05.+00',
    ]) {
      const [, fast, slow] = same(t);
      expect(fast).toEqual(slow);
    }
    // The far past keeps its year (no 19xx for two-digit years).
    expect((parseTimestamptz('0099-01-01 00:00:00+00') as Date).getUTCFullYear()).toBe(99);
    expect(parseTimestamptz('infinity')).toBe(Infinity);
  });

  it('is the pool’s parser for timestamptz only; other types keep pg’s', () => {
    expect(POOL_TYPES.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(POOL_TYPES.getTypeParser(1114, 'text')).toBe(types.getTypeParser(1114, 'text'));
    expect(POOL_TYPES.getTypeParser(23, 'text')).toBe(types.getTypeParser(23, 'text'));
    expect(POOL_TYPES.getTypeParser(1184, 'binary')).toBe(types.getTypeParser(1184, 'binary'));
  });
});
