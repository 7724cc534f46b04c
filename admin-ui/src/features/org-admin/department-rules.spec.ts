import { describe, expect, it } from 'vitest';
import {
  buildTree,
  deleteProblem,
  findNode,
  MAX_DEPARTMENT_DEPTH,
  moveProblem,
  nameProblem,
  type FlatDepartment,
} from './department-rules';

const flat: FlatDepartment[] = [
  { id: 'root', name: 'HQ', employeeCount: 5, parent: null },
  { id: 'east', name: 'East', employeeCount: 3, parent: { id: 'root' } },
  { id: 'sh', name: 'Shanghai', employeeCount: 3, parent: { id: 'east' } },
  { id: 'west', name: 'West', employeeCount: 0, parent: { id: 'root' } },
];

/** A chain root > d2 > … > d<levels>. */
function chain(levels: number): FlatDepartment[] {
  return Array.from({ length: levels }, (_, i) => ({
    id: `d${i + 1}`,
    name: `Level ${i + 1}`,
    employeeCount: 0,
    parent: i ? { id: `d${i}` } : null,
  }));
}

describe('department rules (as the server enforces them)', () => {
  const tree = buildTree(flat);

  it('builds the tree with depths', () => {
    expect(tree.map((n) => n.id)).toEqual(['root']);
    expect(findNode(tree, 'sh')).toMatchObject({ depth: 3 });
  });

  it('keeps sibling names distinct, trimmed, and not blank; a department is not its own twin', () => {
    expect(nameProblem(tree, ' West ', 'root')).toBe('siblingName');
    expect(nameProblem(tree, 'West', 'east')).toBeNull();
    expect(nameProblem(tree, 'West', 'root', 'west')).toBeNull();
    expect(nameProblem(tree, '   ', 'root')).toBe('blank');
    expect(nameProblem(tree, 'x'.repeat(101), 'root')).toBe('tooLong');
  });

  it('never moves a department under itself or its sub-departments, nor the root', () => {
    const east = findNode(tree, 'east')!;
    expect(moveProblem(tree, east, 'east')).toBe('underItself');
    expect(moveProblem(tree, east, 'sh')).toBe('underItself');
    expect(moveProblem(tree, east, 'west')).toBeNull();
    expect(moveProblem(tree, findNode(tree, 'root')!, 'west')).toBe('root');
  });

  it('refuses a move that puts a sub-department past the maximum depth', () => {
    const deep = buildTree([
      ...chain(MAX_DEPARTMENT_DEPTH),
      { id: 'a', name: 'A', employeeCount: 0, parent: { id: 'd1' } },
      { id: 'b', name: 'B', employeeCount: 0, parent: { id: 'a' } },
    ]);
    const a = findNode(deep, 'a')!;
    // a (with its child b) under the level-14 department: a at 15, b at 16.
    expect(moveProblem(deep, a, `d${MAX_DEPARTMENT_DEPTH - 1}`)).toBe('tooDeep');
    expect(moveProblem(deep, a, `d${MAX_DEPARTMENT_DEPTH - 2}`)).toBeNull();
  });

  it('refuses a move next to a sibling of the same name', () => {
    const twins = buildTree([...flat, { id: 'w2', name: 'West', employeeCount: 0, parent: { id: 'east' } }]);
    expect(moveProblem(twins, findNode(twins, 'w2')!, 'root')).toBe('siblingName');
  });

  it('deletes only an empty department that is not the root', () => {
    expect(deleteProblem(findNode(tree, 'root')!)).toBe('root');
    expect(deleteProblem(findNode(tree, 'east')!)).toBe('hasChildren');
    expect(deleteProblem(findNode(tree, 'sh')!)).toBe('hasEmployees');
    expect(deleteProblem(findNode(tree, 'west')!)).toBeNull();
  });
});
