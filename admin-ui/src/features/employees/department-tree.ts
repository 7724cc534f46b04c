import type { DepartmentsQuery } from './employees.generated';

type Department = DepartmentsQuery['departments'][number];

export interface DepartmentNode {
  key: string;
  title: string;
  employeeCount: number;
  children: DepartmentNode[];
}

/**
 * The `departments` list (parents before children) as a tree. With `rootId`
 * only that department's sub-tree: a manager's scope is their own department
 * tree, so the rest of the organization would only show empty lists.
 */
export function departmentTree(departments: readonly Department[], rootId?: string): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>();
  for (const d of departments)
    nodes.set(d.id, { key: d.id, title: d.name, employeeCount: d.employeeCount, children: [] });
  const roots: DepartmentNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.id)!;
    const parent = d.parent ? nodes.get(d.parent.id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  // Siblings by name, so the tree does not reorder between visits.
  const sort = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.title.localeCompare(b.title));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  if (rootId) {
    const root = nodes.get(rootId);
    return root ? [root] : roots;
  }
  return roots;
}
