/**
 * Chat matcher benchmark (not a test: prints figures, never fails on time).
 * 10,000 keywords (Chinese and English, from word lists), matched as
 * case-insensitive substrings against short chat messages and long texts
 * (5,000 to 40,000 characters), by each installed Aho-Corasick package, by the
 * naive matcher it replaces (one case-insensitive regex per rule, 20 keywords a
 * rule) and by ours (ChatMatcher: normalization, the chosen automaton and the
 * semantic detectors). µs per message; the long texts at growing lengths show
 * whether a package's time grows linearly with the text.
 *
 *   npm run build --silent && npm run build:bench --silent && node dist/bench/bench/chat-matcher.bench.js
 *   (MATCHER_KEYWORDS=10000 MATCHER_SHORT=20000 MATCHER_SECONDS=1)
 */
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { ChatMatcher, MatcherRule } from 'src/modules/chat-audit/services/chat-matcher';
import { chatKeywords, chatText, prng } from './support/chat-text';

const requireCjs = createRequire(__filename);

const rand = prng(19);
const keywords = (n: number) => chatKeywords(n, rand);
const text = (chars: number) => chatText(chars, rand);

// ------------------------------------------------------------------ candidates

interface Candidate {
  name: string;
  build(keywords: string[]): (text: string) => number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CANDIDATES: Candidate[] = [
  {
    name: 'naive: one regex per rule (20 keywords, /i)',
    build(kw) {
      const rules: RegExp[] = [];
      for (let i = 0; i < kw.length; i += 20)
        rules.push(
          new RegExp(
            kw
              .slice(i, i + 20)
              .map(escape)
              .join('|'),
            'i',
          ),
        );
      return (t) => {
        let n = 0;
        for (const r of rules) if (r.test(t)) n++;
        return n;
      };
    },
  },
  {
    name: 'ahocorasick 1.0.2',
    build(kw) {
      const AhoCorasick = requireCjs('ahocorasick') as new (k: string[]) => { search(t: string): unknown[] };
      const ac = new AhoCorasick(kw.map((k) => k.toLowerCase()));
      return (t) => ac.search(t.toLowerCase()).length;
    },
  },
  {
    name: '@monyone/aho-corasick 1.1.11',
    build(kw) {
      const { AhoCorasick } = requireCjs('@monyone/aho-corasick') as {
        AhoCorasick: new (k: string[]) => { matchInText(t: string): unknown[] };
      };
      const ac = new AhoCorasick(kw.map((k) => k.toLowerCase()));
      return (t) => ac.matchInText(t.toLowerCase()).length;
    },
  },
  {
    name: 'modern-ahocorasick 3.3.0 (default)',
    build(kw) {
      const AhoCorasick = requireCjs('modern-ahocorasick') as new (k: string[]) => { count(t: string): number };
      const ac = new AhoCorasick(kw.map((k) => k.toLowerCase()));
      return (t) => ac.count(t.toLowerCase());
    },
  },
  {
    name: 'modern-ahocorasick 3.3.0 (/fast)',
    build(kw) {
      const AhoCorasick = requireCjs('modern-ahocorasick/fast') as new (k: string[]) => { count(t: string): number };
      const ac = new AhoCorasick(kw.map((k) => k.toLowerCase()));
      return (t) => ac.count(t.toLowerCase());
    },
  },
  {
    name: 'ours: ChatMatcher (NFKC + lower case, automaton, 4 detectors)',
    build(kw) {
      const rules: MatcherRule[] = [];
      for (let i = 0; i < kw.length; i += 20)
        rules.push({
          id: `r${i}`,
          keywords: kw.slice(i, i + 20),
          semantics: i === 0 ? ['PHONE_NUMBER', 'EMAIL', 'RED_PACKET', 'BANK_CARD'] : [],
        });
      const m = new ChatMatcher(rules);
      return (t) => m.match(t).length;
    },
  },
];

// ------------------------------------------------------------------ measuring

function measure(fn: (t: string) => number, texts: string[], seconds: number): { us: number; hits: number } {
  let hits = 0;
  for (const t of texts.slice(0, Math.min(texts.length, 50))) hits += fn(t); // warm-up
  hits = 0;
  let done = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    for (let i = 0; i < texts.length && (i % 64 !== 0 || process.hrtime.bigint() < until); i++) {
      hits += fn(texts[i]);
      done++;
    }
    now = process.hrtime.bigint();
  }
  return { us: Number(now - start) / 1000 / done, hits: hits / done };
}

function main(): void {
  const env = process.env;
  const nKeywords = Number(env.MATCHER_KEYWORDS ?? 10_000);
  const seconds = Number(env.MATCHER_SECONDS ?? 1);
  const kw = keywords(nKeywords);
  const short = Array.from({ length: Number(env.MATCHER_SHORT ?? 20_000) }, () => text(20 + Math.floor(rand() * 100)));
  const longs = [5_000, 10_000, 20_000, 40_000].map((n) => ({ n, texts: Array.from({ length: 20 }, () => text(n)) }));
  const rows: string[][] = [];
  console.log(
    `chat matcher: ${kw.length} keywords; short texts ${short.length} (20-120 chars); load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const c of CANDIDATES) {
    const t0 = process.hrtime.bigint();
    const fn = c.build(kw);
    const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const s = measure(fn, short, seconds);
    const l = longs.map((x) => measure(fn, x.texts, seconds));
    const perChar = l.map((x, i) => (x.us / longs[i].n) * 1000);
    const growth = perChar[perChar.length - 1] / perChar[0];
    rows.push([c.name, buildMs.toFixed(0), s.us.toFixed(2), ...l.map((x) => x.us.toFixed(0)), growth.toFixed(2)]);
    console.log(rows[rows.length - 1].join(' | '));
  }
  const head = [
    'matcher',
    'build ms',
    'µs/short msg',
    ...longs.map((x) => `µs/${x.n / 1000}k chars`),
    'ns/char 40k ÷ 5k',
  ];
  console.log(`\n| ${head.join(' | ')} |\n| ${head.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    `\nload after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

main();
