import { describe, expect, it } from 'vitest';
import { highlightParts, matchRanges, mergeRanges, partsOf } from './highlight';

const marked = (text: string, query: string) =>
  highlightParts(text, query)
    .filter((p) => p.match)
    .map((p) => p.text);

describe('search highlight', () => {
  it('marks a 2-character Chinese word wherever it occurs, with no spaces around it', () => {
    expect(highlightParts('这个价格太贵了，价格能便宜吗', '价格')).toEqual([
      { text: '这个', match: false },
      { text: '价格', match: true },
      { text: '太贵了，', match: false },
      { text: '价格', match: true },
      { text: '能便宜吗', match: false },
    ]);
  });

  it('marks a 1-character Chinese query', () => {
    expect(marked('红包发你了，收红包', '红')).toEqual(['红', '红']);
  });

  it('ignores case both ways and keeps the text as written', () => {
    expect(marked('Send the PRICE list, price is fine', 'Price')).toEqual(['PRICE', 'price']);
    expect(marked('WeChat Pay', 'WECHAT')).toEqual(['WeChat']);
  });

  it('merges overlapping and adjacent occurrences into one mark', () => {
    expect(matchRanges('aaaa', 'aa')).toEqual([[0, 4]]);
    expect(matchRanges('哈哈哈', '哈哈')).toEqual([[0, 3]]);
    expect(matchRanges('abab-ab', 'ab')).toEqual([
      [0, 4],
      [5, 7],
    ]);
  });

  it('covers the whole text, in order, whatever matches', () => {
    for (const [text, query] of [
      ['价格价格', '价格'],
      ['no match here', '价格'],
      ['Mixed 中文 and English 中文', '中'],
      ['', 'x'],
    ]) {
      expect(
        highlightParts(text, query)
          .map((p) => p.text)
          .join(''),
      ).toBe(text);
    }
  });

  it('marks nothing for an empty or blank query', () => {
    expect(highlightParts('价格', '')).toEqual([{ text: '价格', match: false }]);
    expect(highlightParts('价格', '   ')).toEqual([{ text: '价格', match: false }]);
  });

  it('maps back through characters whose lower case is longer (İ), and through emoji', () => {
    // "İ".toLowerCase() is two code units: the mark must still land on the original characters.
    expect(marked('İstanbul price', 'price')).toEqual(['price']);
    expect(marked('😀价格😀', '价格')).toEqual(['价格']);
    expect(marked('xİy', 'i')).toEqual(['İ']);
  });

  it('treats HTML-looking text as plain characters', () => {
    const text = '<img src=x onerror=alert(1)> 价格 <b>bold</b>';
    const parts = highlightParts(text, '<b>');
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['<b>']);
  });
});

describe('marking given ranges (the rule tester’s positions)', () => {
  it('merges overlapping ranges from several keywords and ignores empty or out-of-text ones', () => {
    expect(
      partsOf('红包发你了', [
        [0, 2],
        [1, 3],
        [4, 4],
        [4, 99],
      ]),
    ).toEqual([
      { text: '红包发', match: true },
      { text: '你', match: false },
      { text: '了', match: true },
    ]);
  });

  it('keeps unsorted ranges in text order', () => {
    expect(
      mergeRanges([
        [5, 6],
        [0, 1],
        [1, 2],
      ]),
    ).toEqual([
      [0, 2],
      [5, 6],
    ]);
  });
});
