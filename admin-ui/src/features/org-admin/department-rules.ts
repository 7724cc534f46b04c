/** The server's department rules (departments.service.ts), checked as the admin types. */
export const MAX_DEPARTMENT_DEPTH = 15;
export const MAX_DEPARTMENT_NAME = 100;

export interface FlatDepartment {
  id: string;
  name: string;
  employeeCount: number;
  parent?: { id: string } | null;
}

export interface DepartmentNode extends FlatDepartment {
  children: DepartmentNode[];
  /** 1 for the root. */
  depth: number;
}

/** The tree of the flat list (parents before children, as `departments` answers). */
export function buildTree(flat: readonly FlatDepartment[]): DepartmentNode[] {
  const byId = new Map<string, DepartmentNode>();
  const roots: DepartmentNode[] = [];
  for (const d of flat) byId.set(d.id, { ...d, children: [], depth: 1 });
  for (const d of flat) {
    const node = byId.get(d.id)!;
    const parent = d.parent ? byId.get(d.parent.id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const setDepth = (n: DepartmentNode, depth: number) => {
    n.depth = depth;
    n.children.forEach((c) => setDepth(c, depth + 1));
  };
  roots.forEach((r) => setDepth(r, 1));
  return roots;
}

export function findNode(tree: readonly DepartmentNode[], id: string): DepartmentNode | undefined {
  for (const n of tree) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}

/** The node and everything under it. */
export function subtreeIds(node: DepartmentNode): Set<string> {
  const out = new Set<string>([node.id]);
  node.children.forEach((c) => subtreeIds(c).forEach((id) => out.add(id)));
  return out;
}

/** Levels the node's subtree spans (1 for a leaf). */
export function subtreeHeight(node: DepartmentNode): number {
  return 1 + Math.max(0, ...node.children.map(subtreeHeight));
}

export type DepartmentProblem = 'blank' | 'tooLong' | 'siblingName' | 'underItself' | 'tooDeep' | 'root';

/** Why a name cannot be used under `parentId` (the department itself, `selfId`, is not its own sibling). */
export function nameProblem(
  tree: readonly DepartmentNode[],
  name: string,
  parentId: string | null,
  selfId?: string,
): DepartmentProblem | null {
  const trimmed = name.trim();
  if (!trimmed) return 'blank';
  if ([...trimmed].length > MAX_DEPARTMENT_NAME) return 'tooLong';
  const siblings = parentId ? (findNode(tree, parentId)?.children ?? []) : tree;
  if (siblings.some((s) => s.id !== selfId && s.name === trimmed)) return 'siblingName';
  return null;
}

/** Why `node` cannot move under `parentId`. */
export function moveProblem(
  tree: readonly DepartmentNode[],
  node: DepartmentNode,
  parentId: string,
): DepartmentProblem | null {
  if (!node.parent) return 'root';
  if (subtreeIds(node).has(parentId)) return 'underItself';
  const parent = findNode(tree, parentId);
  if (!parent) return null;
  if (parent.depth + subtreeHeight(node) > MAX_DEPARTMENT_DEPTH) return 'tooDeep';
  return nameProblem(tree, node.name, parentId, node.id);
}

/** Why a department cannot be deleted (the server answers CONFLICT for each). */
export function deleteProblem(node: DepartmentNode): 'root' | 'hasChildren' | 'hasEmployees' | null {
  if (!node.parent) return 'root';
  if (node.children.length) return 'hasChildren';
  if (node.employeeCount > 0) return 'hasEmployees';
  return null;
}
