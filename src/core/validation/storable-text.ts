/**
 * What any text must be before PostgreSQL sees it. PostgreSQL `text` cannot
 * hold NUL (U+0000: the statement fails), and a lone UTF-16 surrogate has no
 * UTF-8 encoding (the driver would silently store U+FFFD instead). Lengths are
 * counted in Unicode code points, as PostgreSQL counts `varchar(n)`.
 */

/** Unicode code points of `s` (a surrogate pair is one; a lone surrogate counts as one). */
export function charCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Whether `s` has more than `max` code points, without counting a string far longer than that. */
export function longerThan(s: string, max: number): boolean {
  if (s.length <= max) return false;
  if (s.length > 2 * max) return true;
  return charCount(s) > max;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as given (a message for `field: message`), or undefined when it can. */
export function textProblem(s: string, maxChars?: number): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (it contains an unpaired UTF-16 surrogate)';
  if (maxChars !== undefined && longerThan(s, maxChars)) return `must be at most ${maxChars} characters`;
  return undefined;
}

/** A prefix of `s` of at most `max` characters, never cut inside a surrogate pair (which would store U+FFFD). */
export function clipChars(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end);
}
