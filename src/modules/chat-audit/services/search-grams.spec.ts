import { gramCode, searchGrams, searchGramsLiteral } from './search-grams';

/**
 * The grams as the definition says (chat_search_grams): every character and adjacent pair, lower-cased, distinct,
 * each as its code (a character's code point; a pair (a, b): a * 2^21 + b).
 */
function reference(text: string): string[] {
  const chars = [...text].map((c) => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c));
  const out = new Set<string>();
  chars.forEach((c, i) => {
    out.add(String(c.codePointAt(0)));
    if (i + 1 < chars.length) out.add(String(c.codePointAt(0)! * 2 ** 21 + chars[i + 1].codePointAt(0)!));
  });
  return [...out].sort();
}

/** Reads a PostgreSQL array literal of integers: bare decimal elements only. */
function parseLiteral(literal: string): string[] {
  expect(literal).toMatch(/^\{(\d+(,\d+)*)?\}$/);
  return literal === '{}' ? [] : literal.slice(1, -1).split(',');
}

describe('search grams', () => {
  // ASCII (letters of both cases, digits, the array syntax's characters, white space), CJK, kana, emoji.
  const alphabet = [...'aAbBzZ09 \t\n,{}"\\.-_你好退款优惠カナ한🧧😀'];
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const randomText = (length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');

  it('gives every character and adjacent pair once, lower-cased, for caseless texts of any length', () => {
    // Lengths past the reused table's first size (1024 slots) and back, so it grows and is emptied between texts.
    for (const length of [0, 1, 2, 3, 10, 50, 300, 3000, 5, 1]) {
      for (let k = 0; k < 20; k++) {
        const text = randomText(length);
        expect([text, [...searchGrams(text)!].sort()]).toEqual([text, reference(text)]);
      }
    }
  });

  it('writes them as an int8 array literal of the same grams', () => {
    for (const length of [0, 1, 2, 7, 80, 2000]) {
      for (let k = 0; k < 20; k++) {
        const text = randomText(length);
        expect([text, parseLiteral(searchGramsLiteral(text)!).sort()]).toEqual([text, reference(text)]);
      }
    }
  });

  it('leaves texts with cased letters beyond ASCII to PostgreSQL, also after a text it computed', () => {
    expect(searchGramsLiteral('École')).toBeNull();
    expect(searchGrams('abc ΣΟΦΙΑ')).toBeNull();
    // The stop part-way leaves nothing behind for the next text.
    expect(searchGrams('aa')).toEqual([gramCode('a'), gramCode('aa')]);
  });

  it('codes characters as their code points and pairs above every code point', () => {
    expect(gramCode('a')).toBe('97');
    expect(gramCode('退')).toBe(String(0x9000));
    expect(gramCode('退款')).toBe(String(0x9000 * 2 ** 21 + 0x6b3e));
    expect(gramCode('🧧')).toBe(String(0x1f9e7));
    expect(Number(gramCode('\u{10ffff}\u{10ffff}'))).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(Number(gramCode('\u0001\u0000'))).toBeGreaterThan(0x10ffff);
  });
});
