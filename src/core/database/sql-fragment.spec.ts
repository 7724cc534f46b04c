import { SqlFragment } from './sql-fragment';

class Ids extends SqlFragment<{ id: string }> {
  static of(a: string, b: string): Ids {
    return new Ids('SELECT id FROM t WHERE a = $1 AND b = $2 OR a = $1', [a, b]);
  }
}

describe('SqlFragment', () => {
  it('numbers its placeholders after the statement\'s and appends its values', () => {
    const params: unknown[] = ['x', 'y', 'z'];
    expect(Ids.of('A', 'B').bind(params)).toBe('SELECT id FROM t WHERE a = $4 AND b = $5 OR a = $4');
    expect(params).toEqual(['x', 'y', 'z', 'A', 'B']);
  });

  it('binds as is into an empty statement', () => {
    const params: unknown[] = [];
    expect(Ids.of('A', 'B').bind(params)).toBe('SELECT id FROM t WHERE a = $1 AND b = $2 OR a = $1');
    expect(params).toEqual(['A', 'B']);
  });
});
