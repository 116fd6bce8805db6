/** A flat list with parent ids → a forest; a row whose parent is not in the list becomes a root. */
export type TreeNode<T> = T & { children?: TreeNode<T>[] }

export function buildTree<T extends { id: number | string }>(rows: readonly T[], parentOf: (row: T) => number | string | null): TreeNode<T>[] {
  const nodes = new Map<number | string, TreeNode<T>>()
  for (const row of rows) nodes.set(row.id, { ...row })
  const roots: TreeNode<T>[] = []
  for (const row of rows) {
    const node = nodes.get(row.id) as TreeNode<T>
    const parentId = parentOf(row)
    const parent = parentId === null ? undefined : nodes.get(parentId)
    if (parent && parent !== node) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  return roots
}

/** The ids of a node and all its descendants in a flat list. */
export function descendantIds<T extends { id: number | string }>(rows: readonly T[], parentOf: (row: T) => number | string | null,
  id: number | string): Set<number | string> {
  const ids = new Set([id])
  let grew = true
  while (grew) {
    grew = false
    for (const row of rows) {
      const parentId = parentOf(row)
      if (parentId !== null && ids.has(parentId) && !ids.has(row.id)) {
        ids.add(row.id)
        grew = true
      }
    }
  }
  return ids
}
