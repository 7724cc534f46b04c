// The package ships no types: its declaration sits beside this file, referenced so the bench build sees it too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./ahocorasick.d.ts" />
import AhoCorasick from 'ahocorasick';

export type SemanticName = 'PHONE_NUMBER' | 'EMAIL' | 'RED_PACKET' | 'BANK_CARD';

/** What the matcher needs of a rule (enabled rules only; departments are checked where employees are known). */
export interface MatcherRule {
  id: string;
  keywords: readonly string[];
  semantics: readonly SemanticName[];
  /** Sender types the rule applies to; omitted: both. */
  appliesTo?: readonly string[];
}

/** One rule's hit on one text: its keywords as the rule wrote them, then its detectors that fired. */
export interface RuleHit {
  ruleId: string;
  matched: string[];
}

/** A match with its place in the original text (UTF-16 offsets, end exclusive), for the "test this text" box. */
export interface MatchPosition {
  kind: 'KEYWORD' | 'SEMANTIC';
  /** The keyword as the rule wrote it, or the detector's name. */
  value: string;
  start: number;
  end: number;
}

/**
 * The one normalization of keywords and texts: Unicode NFKC (full-width
 * letters and digits become ASCII, compatibility forms fold) then lower case,
 * so matching is case- and width-insensitive. ASCII text skips NFKC.
 */
export function normalize(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.normalize('NFKC').toLowerCase();
}

/**
 * The normalized text and, for each of its UTF-16 units, the offset in the
 * original where the code point it came from starts (plus the end), so that a
 * match in the normalized text maps back to the original.
 */
function normalizeMapped(s: string): { text: string; origin: number[] } {
  const whole = normalize(s);
  if (whole.length === s.length) {
    // Length kept (ASCII, CJK, full-width forms): offsets are the same. Checked per code point below otherwise.
    const same = Array.from({ length: s.length + 1 }, (_, i) => i);
    let ok = true;
    for (let i = 0; i < s.length && ok;) {
      const cp = s.codePointAt(i)!;
      const w = cp > 0xffff ? 2 : 1;
      if (normalize(String.fromCodePoint(cp)).length !== w) ok = false;
      i += w;
    }
    if (ok) return { text: whole, origin: same };
  }
  let text = '';
  const origin: number[] = [];
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    const n = normalize(String.fromCodePoint(cp));
    for (let k = 0; k < n.length; k++) origin.push(i);
    text += n;
    i += w;
  }
  origin.push(s.length);
  return { text, origin };
}

/** Red-packet wording (the MessageType enum has no red-packet type): matched like keywords. */
export const RED_PACKET_WORDS = ['红包', '紅包', 'red packet', 'red envelope', 'hongbao', 'hong bao'];

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g;
/** Mainland mobiles (1[3-9] and 9 digits; optional +86 / 0086 / 86; separators between the groups). */
const MAINLAND_MOBILE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
/** International: + country code and 6-14 more digits, single spaces or dashes between groups. */
const INTERNATIONAL = /(?<![\d+])\+[1-9]\d{0,3}(?:[\s-]?\d){6,14}(?!\d)/g;
/** Digit runs that may be a card number: 13-19 digits, single spaces or dashes between groups. */
const DIGIT_RUN = /(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)/g;
const CHINA_PREFIXED_MOBILE = /^(?:0086|86)1[3-9]\d{9}$/;

/** The Luhn checksum of a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

type Span = [number, number];

function spans(re: RegExp, text: string, keep?: (m: string) => boolean): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) if (!keep || keep(m[0])) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Where each semantic detector fires in a normalized text (RED_PACKET comes from the automaton). */
function detect(text: string, wanted: ReadonlySet<SemanticName>): Map<SemanticName, Span[]> {
  const found = new Map<SemanticName, Span[]>();
  const add = (name: SemanticName, s: Span[]) => s.length && found.set(name, s);
  const digits = /\d/.test(text);
  if (wanted.has('EMAIL') && text.includes('@')) add('EMAIL', spans(EMAIL, text));
  if (digits && wanted.has('PHONE_NUMBER'))
    add('PHONE_NUMBER', [...spans(MAINLAND_MOBILE, text), ...spans(INTERNATIONAL, text)]);
  if (digits && wanted.has('BANK_CARD')) {
    add(
      'BANK_CARD',
      spans(DIGIT_RUN, text, (m) => {
        const d = m.replace(/[ -]/g, '');
        return d.length >= 13 && d.length <= 19 && !CHINA_PREFIXED_MOBILE.test(d) && luhnValid(d);
      }),
    );
  }
  return found;
}

interface Entry {
  /** Rule index -> the keywords of that rule this normalized pattern stands for. */
  rules: Map<number, string[]>;
  redPacket: boolean;
}

/**
 * An organization's enabled keyword rules compiled once: one Aho-Corasick
 * automaton over every rule's normalized keywords (and the red-packet wording),
 * plus the semantic detectors. `match` scans a text once whatever the number of
 * rules (bench/chat-matcher.bench.ts: `ahocorasick` chosen by the figures).
 */
export class ChatMatcher {
  private readonly automaton: AhoCorasick | null;
  private readonly entries = new Map<string, Entry>();
  private readonly semantic = new Set<SemanticName>();
  /** Indices of the rules with detectors. */
  private readonly semanticRules: number[] = [];

  constructor(private readonly rules: readonly MatcherRule[]) {
    rules.forEach((r, index) => {
      for (const k of r.keywords) {
        const n = normalize(k);
        if (!n) continue;
        const e = this.entry(n);
        const list = e.rules.get(index) ?? [];
        if (!list.includes(k)) list.push(k);
        e.rules.set(index, list);
      }
      for (const s of r.semantics) this.semantic.add(s);
      if (r.semantics.length) this.semanticRules.push(index);
    });
    if (this.semantic.has('RED_PACKET')) for (const w of RED_PACKET_WORDS) this.entry(normalize(w)).redPacket = true;
    this.automaton = this.entries.size ? new AhoCorasick([...this.entries.keys()]) : null;
  }

  get size(): number {
    return this.rules.length;
  }

  private entry(n: string): Entry {
    let e = this.entries.get(n);
    if (!e) this.entries.set(n, (e = { rules: new Map(), redPacket: false }));
    return e;
  }

  private applies(rule: MatcherRule, senderType?: string): boolean {
    return !senderType || !rule.appliesTo?.length || rule.appliesTo.includes(senderType);
  }

  /** The rules a text hits (for a message of `senderType`), each with what it matched. */
  match(text: string | null | undefined, senderType?: string): RuleHit[] {
    if (!text || !this.rules.length) return [];
    const t = normalize(text);
    const perRule = new Map<number, Set<string>>();
    let redPacket = false;
    if (this.automaton) {
      for (const [, patterns] of this.automaton.search(t)) {
        for (const p of patterns) {
          const e = this.entries.get(p)!;
          if (e.redPacket) redPacket = true;
          for (const [rule, keywords] of e.rules) {
            let s = perRule.get(rule);
            if (!s) perRule.set(rule, (s = new Set()));
            for (const k of keywords) s.add(k);
          }
        }
      }
    }
    const found = this.semantic.size ? detect(t, this.semantic) : new Map<SemanticName, Span[]>();
    if (redPacket) found.set('RED_PACKET', [[0, 0]]);
    if (!perRule.size && !found.size) return [];
    // Only the rules hit by a keyword, or with a detector that fired: never a loop over every rule.
    const candidates = new Set(perRule.keys());
    if (found.size) for (const index of this.semanticRules) candidates.add(index);
    const hits: RuleHit[] = [];
    for (const index of [...candidates].sort((a, b) => a - b)) {
      const r = this.rules[index];
      const kw = perRule.get(index);
      const sem = r.semantics.filter((x) => found.has(x));
      if ((!kw && !sem.length) || !this.applies(r, senderType)) continue;
      hits.push({ ruleId: r.id, matched: [...(kw ? r.keywords.filter((k) => kw.has(k)) : []), ...sem] });
    }
    return hits;
  }

  /**
   * Every match of the (first) rule in the original text with its position, for "test this text": keywords
   * and detectors, ordered by start. Slower than `match` (it maps offsets back); never used at ingest.
   */
  explain(text: string): MatchPosition[] {
    const { text: t, origin } = normalizeMapped(text);
    const out: MatchPosition[] = [];
    const at = (s: number, e: number) => ({ start: origin[s], end: origin[e] ?? text.length });
    if (this.automaton) {
      for (const [last, patterns] of this.automaton.search(t)) {
        for (const p of patterns) {
          const e = this.entries.get(p)!;
          const start = last - p.length + 1;
          if (e.redPacket) out.push({ kind: 'SEMANTIC', value: 'RED_PACKET', ...at(start, last + 1) });
          for (const keywords of e.rules.values())
            for (const k of keywords) out.push({ kind: 'KEYWORD', value: k, ...at(start, last + 1) });
        }
      }
    }
    for (const [name, list] of detect(t, this.semantic))
      for (const [s, e] of list) out.push({ kind: 'SEMANTIC', value: name, ...at(s, e) });
    const seen = new Set<string>();
    return out
      .filter((m) => {
        const key = `${m.kind} ${m.value} ${m.start} ${m.end}`;
        return !seen.has(key) && !!seen.add(key);
      })
      .sort((a, b) => a.start - b.start || a.end - b.end || a.value.localeCompare(b.value));
  }
}
