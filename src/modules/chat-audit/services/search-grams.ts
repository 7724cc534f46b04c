/**
 * The search grams of a text (every character and every pair of adjacent
 * characters of its lower-cased text) as the codes the SQL function
 * chat_search_grams computes (migration 1765260000001-chat-search-gram-codes):
 * a character is its code point, a pair (a, b) is a * 2^21 + b. Computed by
 * the application for the texts where its lower-casing cannot differ from
 * PostgreSQL's: ASCII (A-Z only change) and scripts without case (CJK, kana,
 * Hangul, fullwidth punctuation, emoji). Anything else (Latin with accents,
 * Greek, Cyrillic, fullwidth letters...) gives null and PostgreSQL computes the
 * grams. Computing them here is what lets bulk ingest keep up: the SQL function
 * costs more than writing the row. Callers use it only once PostgreSQL's
 * lower() is known to map A-Z to a-z (not under a Turkish locale, say):
 * ChatArchiveRepository checks it.
 */
export function searchGrams(text: string): string[] | null {
  const out: string[] = [];
  const whole = eachGram(text, (a, b) => out.push(String(code(a, b))));
  return whole ? out : null;
}

/**
 * The search grams of a text as a PostgreSQL int8 array literal (what the write path stages), or null where
 * searchGrams gives null. Built in one pass over the text, without the grams as an array: ingest computes one per
 * message. Numbers need no quoting, whatever the text holds.
 */
export function searchGramsLiteral(text: string): string | null {
  let out = '';
  const whole = eachGram(text, (a, b) => {
    out += out ? `,${code(a, b)}` : String(code(a, b));
  });
  return whole ? `{${out}}` : null;
}

/**
 * Calls `emit` with the code of each distinct search gram of the text, as searchGrams lists them; false (having
 * stopped part-way) where searchGrams gives null. For writers that encode the codes themselves (the bulk import's
 * binary COPY).
 */
export function eachSearchGramCode(text: string, emit: (code: number) => void): boolean {
  return eachGram(text, (a, b) => emit(code(a, b)));
}

/** 2^21: above every code point (0x10FFFF), so a pair's code is unique and never a character's. */
const PAIR = 2097152;

/** The code of a gram (`b` -1 for a single character); below 2^42, exact in a double. */
const code = (a: number, b: number) => (b < 0 ? a : a * PAIR + b);

/** The code of a gram written as one or two characters (for tests and tools: `gramCode('退款')`). */
export function gramCode(gram: string): string {
  const [a, b] = [...gram].map((c) => c.codePointAt(0)!);
  return String(code(a, b === undefined ? -1 : b));
}

/**
 * Calls `emit` once for each distinct gram of the lower-cased text: a character (`b` is -1) or a pair of adjacent
 * characters, as code points. False (having stopped) at the first character whose lower case is PostgreSQL's to
 * decide (see searchGrams).
 */
function eachGram(text: string, emit: (a: number, b: number) => void): boolean {
  const seen = GramSet.for(text.length);
  try {
    let prev = -1;
    for (let i = 0; i < text.length; ) {
      let cp = text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      if (cp < 0x80) {
        if (cp >= 0x41 && cp <= 0x5a) cp += 32;
      } else if (!caseless(cp)) return false;
      if (seen.add(cp, -1)) emit(cp, -1);
      if (prev >= 0 && seen.add(prev, cp)) emit(prev, cp);
      prev = cp;
    }
    return true;
  } finally {
    seen.clear();
  }
}

/**
 * The grams of one text seen so far: an open-addressing hash set of code point pairs in typed arrays, kept and reused
 * between texts (a JavaScript Set allocated per message, with pair keys beyond small integers, was most of the cost
 * of computing grams at ingest: every message of every batch).
 */
class GramSet {
  private static shared = new GramSet(1024);
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  /** The slots taken, to empty them again without sweeping the whole table. */
  private readonly used: Int32Array;
  private size = 0;

  private constructor(private readonly slots: number) {
    this.first = new Int32Array(slots).fill(-1);
    this.second = new Int32Array(slots);
    this.used = new Int32Array(slots);
  }

  /** An empty set for a text of `length` code units (at most 2 grams per code unit, kept under half full). */
  static for(length: number): GramSet {
    let slots = GramSet.shared.slots;
    while (slots < 4 * length + 4) slots *= 2;
    if (slots !== GramSet.shared.slots) GramSet.shared = new GramSet(slots);
    return GramSet.shared;
  }

  /** Adds the gram (`b` -1 for a single character); false when it was there. */
  add(a: number, b: number): boolean {
    const mask = this.slots - 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) & mask;
    for (;;) {
      const x = this.first[h];
      if (x === -1) break;
      if (x === a && this.second[h] === b) return false;
      h = (h + 1) & mask;
    }
    this.first[h] = a;
    this.second[h] = b;
    this.used[this.size++] = h;
    return true;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.first[this.used[i]] = -1;
    this.size = 0;
  }
}

/** Code points in blocks that have no case at all (so no lower-casing can change them). */
function caseless(cp: number): boolean {
  return (
    (cp >= 0x2000 && cp <= 0x206f) || // general punctuation
    (cp >= 0x2e80 && cp <= 0x9fff) || // CJK radicals, punctuation, kana, bopomofo, CJK unified ideographs
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff01 && cp <= 0xff20) || // fullwidth punctuation and digits (not the letters that follow)
    (cp >= 0xff3b && cp <= 0xff40) ||
    (cp >= 0xff5b && cp <= 0xffef) ||
    (cp >= 0x1f000 && cp <= 0x1faff) || // emoji and symbols
    (cp >= 0x20000 && cp <= 0x3ffff) // CJK extensions
  );
}
