import type { PathNode } from '../expressions/ast.js';
import { readPath } from '../expressions/document-path.js';
import type { Item } from '../model/attribute-value.js';
import { setMember } from '../model/set-member.js';

/**
 * A SELECT's projection of an item: each path's value under the path's last attribute name (`a.b[1]`
 * answers `b`), as DynamoDB names a projected nested value (nubo-db/dynoxide, checked against DynamoDB).
 */
export function projectSelected(item: Item, projection: readonly PathNode[] | undefined): Item {
  if (projection === undefined) return item;
  const out: Item = {};
  for (const path of projection) {
    const value = readPath(item, path.elements);
    if (value === undefined) continue;
    let name = '';
    for (const element of path.elements) if (element.kind === 'name') name = element.name;
    setMember(out, name, value);
  }
  return out;
}
