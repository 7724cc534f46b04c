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

const requireCjs = createRequire(__filename);

// ------------------------------------------------------------------ data (word lists, a fixed seed)

const EN = `price discount order refund delivery quality service customer product contract invoice payment
account transfer bank card wechat alipay coupon voucher promotion sample meeting address phone email
tomorrow today morning evening weekend holiday shipping warehouse stock supplier factory warranty repair
install upgrade license premium basic package bundle member level points reward bonus commission agent
partner channel store online offline cash credit debit loan interest rate fee charge cost budget quote
deal offer special limited urgent confirm cancel change update check review approve reject sign send
receive return exchange complaint feedback survey rating star trust secret private personal gift free`
  .split(/\s+/)
  .filter(Boolean);
const ZH = `价格 优惠 订单 退款 发货 质量 服务 客户 产品 合同 发票 付款 账户 转账 银行 微信 支付宝 优惠券 代金券 促销
样品 会议 地址 电话 邮箱 明天 今天 上午 晚上 周末 假期 快递 仓库 库存 供应商 工厂 保修 维修 安装 升级 会员 积分
奖励 佣金 代理 渠道 门店 线上 线下 现金 信用 贷款 利息 费用 成本 预算 报价 活动 特价 限时 紧急 确认 取消 修改
审核 签字 发送 收到 退货 换货 投诉 反馈 评价 信任 私下 个人 礼物 免费 回扣 返现 好处 私聊 加我 私人 打折 便宜`
  .split(/\s+/)
  .filter(Boolean);

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(19);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

/** Distinct keywords: Chinese word pairs and English word pairs (a few single words, which do occur). */
function keywords(n: number): string[] {
  const out = new Set<string>();
  for (const w of ['回扣', '返现', 'kickback', 'Refund Now', '私下转账']) out.add(w);
  while (out.size < n) {
    const r = rand();
    if (r < 0.45) out.add(pick(ZH) + pick(ZH));
    else if (r < 0.9) out.add(`${pick(EN)} ${pick(EN)}`);
    else out.add(pick(ZH) + pick(EN));
  }
  return [...out];
}

/** A chat-like text of about `chars` characters, mixing Chinese and English sentences. */
function text(chars: number): string {
  const parts: string[] = [];
  let len = 0;
  while (len < chars) {
    const zh = rand() < 0.6;
    const words = 3 + Math.floor(rand() * 8);
    const s = zh
      ? Array.from({ length: words }, () => pick(ZH)).join('') + '。'
      : Array.from({ length: words }, () => pick(EN)).join(' ') + '. ';
    parts.push(s);
    len += s.length;
  }
  return parts.join('').slice(0, chars);
}

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
