import { searchGrams, searchGramsLiteral } from './search-grams';

/** The grams as the definition says (chat_search_grams): every character and adjacent pair, lower-cased, distinct. */
function reference(text: string): string[] {
  const chars = [...text].map((c) => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c));
  const out = new Set<string>();
  chars.forEach((c, i) => {
    out.add(c);
    if (i + 1 < chars.length) out.add(c + chars[i + 1]);
  });
  return [...out].sort();
}

/** Reads a PostgreSQL array literal of strings (quoted elements with backslash escapes, or bare ones). */
function parseLiteral(literal: string): string[] {
  expect(literal.startsWith('{') && literal.endsWith('}')).toBe(true);
  const out: string[] = [];
  const body = literal.slice(1, -1);
  let i = 0;
  while (i < body.length) {
    let element = '';
    if (body[i] === '"') {
      i++;
      for (; body[i] !== '"'; i++) element += body[i] === '\\' ? body[++i] : body[i];
      i++;
    } else {
      while (i < body.length && body[i] !== ',') element += body[i++];
      // Bare elements must hold nothing the syntax gives a meaning to (PostgreSQL would trim or split them).
      expect(element).not.toMatch(/["\\{}\s]/);
    }
    out.push(element);
    if (body[i] === ',') i++;
  }
  return out;
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

  it('writes them as an array literal PostgreSQL reads back to the same grams', () => {
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
    expect(searchGrams('aa')).toEqual(['a', 'aa']);
  });
});
