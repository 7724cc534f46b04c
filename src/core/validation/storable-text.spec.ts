import { charCount, clipChars, longerThan, textProblem } from './storable-text';

describe('storable text', () => {
  it('counts code points as PostgreSQL does: a surrogate pair and a variation selector each count', () => {
    expect(charCount('abc')).toBe(3);
    expect(charCount('𝔘𝔫')).toBe(2);
    expect(charCount('❤️')).toBe(2);
    expect(charCount('👨‍👩‍👧')).toBe(5);
    expect(longerThan('❤️'.repeat(150), 200)).toBe(true);
    expect(longerThan('𝔘'.repeat(200), 200)).toBe(false);
  });

  it('names NUL, lone surrogates and excess length; accepts odd but valid text', () => {
    expect(textProblem('a\u0000b')).toBe('must not contain NUL characters (U+0000)');
    expect(textProblem('a\ud800')).toMatch(/unpaired UTF-16 surrogate/);
    expect(textProblem('\udc00a')).toMatch(/unpaired UTF-16 surrogate/);
    expect(textProblem('x'.repeat(11), 10)).toBe('must be at most 10 characters');
    expect(textProblem(`'; DROP TABLE x; -- %_\\ \u202Eabc 🇨🇳 e\u0301`, 100)).toBeUndefined();
  });

  it('clips without splitting a surrogate pair', () => {
    expect(clipChars('ab𝔘', 3)).toBe('ab');
    expect(clipChars('abc', 3)).toBe('abc');
    expect(textProblem(clipChars('𝔘'.repeat(60), 101))).toBeUndefined();
  });
});
