/**
 * The search grams of a text (every character and every pair of adjacent
 * characters of its lower-cased text), as the SQL function chat_search_grams
 * computes them, computed by the application for the texts where its
 * lower-casing cannot differ from PostgreSQL's: ASCII (A-Z only change) and
 * scripts without case (CJK, kana, Hangul, fullwidth punctuation, emoji).
 * Anything else (Latin with accents, Greek, Cyrillic, fullwidth letters...)
 * gives null and PostgreSQL computes the grams. Computing them here is what
 * lets bulk ingest keep up: the SQL function costs more than writing the row.
 * Callers use it only once PostgreSQL's lower() is known to map A-Z to a-z (not
 * under a Turkish locale, say): ChatArchiveRepository checks it.
 */
export function searchGrams(text: string): string[] | null {
  const chars: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) chars.push(cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : ch);
    else if (caseless(cp)) chars.push(ch);
    else return null;
  }
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    out.add(chars[i]);
    if (i + 1 < chars.length) out.add(chars[i] + chars[i + 1]);
  }
  return [...out];
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

/** A PostgreSQL array literal of the grams (every element quoted), or null for null. */
export function gramsLiteral(grams: readonly string[] | null): string | null {
  if (grams === null) return null;
  return `{${grams.map((g) => `"${g.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
