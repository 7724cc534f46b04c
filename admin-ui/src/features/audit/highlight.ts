/** A piece of a text, marked when it is part of a match. */
export interface TextPart {
  text: string;
  match: boolean;
}

/**
 * The text folded for matching, code point by code point, with where each folded code unit came from: lower-casing
 * can change a string's length (e.g. "İ" becomes two code units), so indices in the folded text are mapped back to
 * the original rather than assumed equal. Case-insensitive like the server's search (`lower()` on both sides).
 */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let at = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    folded += lower;
    for (let i = 0; i < lower.length; i++) origin.push(at);
    at += ch.length;
  }
  origin.push(at);
  return { folded, origin };
}

/**
 * The [start, end) ranges of `text` where `query` occurs, case-insensitively, overlapping and adjacent occurrences
 * merged into one range (searching "aa" in "aaaa" marks the whole run, not every other pair). Works on any script:
 * Chinese needs no word boundaries, one character is a query.
 */
export function matchRanges(text: string, query: string): Array<[number, number]> {
  const needle = fold(query.trim()).folded;
  if (!needle || !text) return [];
  const { folded, origin } = fold(text);
  const ranges: Array<[number, number]> = [];
  for (let i = folded.indexOf(needle); i !== -1; i = folded.indexOf(needle, i + 1)) {
    // A match ending inside a character that folded to several code units takes in the whole character.
    let j = i + needle.length;
    while (origin[j] === origin[j - 1]) j++;
    ranges.push([origin[i], origin[j]]);
  }
  return mergeRanges(ranges);
}

/** Ranges sorted and merged where they overlap or touch (several keywords may hit the same characters). */
export function mergeRanges(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...ranges].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * `text` cut into plain and marked parts at the given [start, end) ranges (UTF-16 offsets), in order, covering it
 * exactly. The parts are rendered as React text nodes (never as HTML), so a message that looks like markup is shown
 * as the characters it is.
 */
export function partsOf(text: string, ranges: ReadonlyArray<readonly [number, number]>): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of mergeRanges(ranges)) {
    const start = Math.max(rawStart, at);
    const end = Math.min(rawEnd, text.length);
    if (end <= start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/** `text` with each case-insensitive occurrence of `query` marked (see matchRanges). */
export function highlightParts(text: string, query: string): TextPart[] {
  return partsOf(text, matchRanges(text, query));
}
