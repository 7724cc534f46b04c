import { decodeCursor, encodeCursor, pageSize, toPage } from './pagination';

describe('pagination', () => {
  it('validates first: default 20, 1..200', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(200)).toBe(200);
    expect(() => pageSize(201)).toThrow('first: must be between 1 and 200 (got 201)');
    expect(() => pageSize(0)).toThrow('first');
  });

  it('round-trips cursors and refuses forged ones', () => {
    const c = encodeCursor(['2026-01-01T00:00:00.000Z', 'abc']);
    expect(decodeCursor(c, 2)).toEqual(['2026-01-01T00:00:00.000Z', 'abc']);
    expect(decodeCursor(undefined, 2)).toBeNull();
    expect(() => decodeCursor(c, 3)).toThrow('after: is not a valid cursor');
    expect(() => decodeCursor('%%%', 2)).toThrow('after');
  });

  it('uses the extra row only to tell whether another page exists', () => {
    const page = toPage([{ id: 1 }, { id: 2 }, { id: 3 }], 2, (r) => [r.id]);
    expect(page.edges.map((e) => e.node.id)).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(toPage([{ id: 1 }], 2, (r) => [r.id]).pageInfo.hasNextPage).toBe(false);
    expect(toPage([], 2, (r: { id: number }) => [r.id]).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
