import type { ConditionNode, ProjectionNode } from '../expressions/ast.js';
import type { KeyAttribute } from '../model/key-schema.js';
import { attributesReader } from '../storage/item-codec.js';
import type { Decoder } from '../storage/table-storage.js';
import { conditionHeads, projectionHeads } from './expression-paths.js';

/*
 * Reads that need only some attributes of each item decode only those (item-codec.ts attributesReader):
 * a projection returns the attributes it names, a filter reads the attributes it names, Select COUNT
 * returns none, and a page's LastEvaluatedKey reads its key attributes. Decoding an item is most of what
 * reading an item not read recently costs (a frozen object per value), so skipping the attributes no one
 * reads pays; a whole item the decoded-item cache holds is used as it is (it has them all).
 */

/** What a read returns or evaluates of each item. */
export interface AttributeNeeds {
  /** The projection of returned items (undefined: whole items are returned, unless `returnsNone`). */
  readonly projection?: ProjectionNode | undefined;
  /** Returns no items (Select COUNT). */
  readonly returnsNone?: boolean;
  readonly filter?: ConditionNode | undefined;
  /** Attributes read from each item besides (its keys, for LastEvaluatedKey or a table fetch). */
  readonly keys?: readonly KeyAttribute[];
}

/**
 * A decoder of the top-level attributes a read needs, or undefined when it needs whole items (it returns
 * them, or a module's visibility filter reads them). O(expression size). `shared`: an attribute every
 * item read holds with this S text (a Query's partition key), decoded once for all (item-codec.ts).
 */
export function attributesDecoder(
  needs: AttributeNeeds,
  readsWholeItems: boolean,
  shared?: { readonly name: string; readonly text: string },
): Decoder | undefined {
  if (readsWholeItems || (needs.projection === undefined && needs.returnsNone !== true)) return undefined;
  return attributesReader(wantedAttributes(needs), shared);
}

/**
 * The last attributes wanted with each shared (frozen) projection and no filter, by the key attributes
 * they were wanted with (a read target's, kept per table or index): a filter is resolved per request.
 */
const wantedWithProjection = new WeakMap<ProjectionNode, { readonly keys: readonly KeyAttribute[] | undefined; readonly wanted: readonly string[] }>();

/** The names of the top-level attributes a read needs. */
function wantedAttributes(needs: AttributeNeeds): readonly string[] {
  const projection = needs.projection;
  const shareable = projection !== undefined && needs.filter === undefined && needs.returnsNone !== true && Object.isFrozen(projection);
  if (shareable) {
    const last = wantedWithProjection.get(projection);
    if (last !== undefined && last.keys === needs.keys) return last.wanted;
  }
  const names = new Set<string>();
  if (needs.projection !== undefined && needs.returnsNone !== true) for (const name of projectionHeads(needs.projection)) names.add(name);
  if (needs.filter !== undefined) for (const name of conditionHeads(needs.filter)) names.add(name);
  if (needs.keys !== undefined) for (const attribute of needs.keys) names.add(attribute.name);
  const wanted = [...names];
  if (!shareable) return wanted;
  // Frozen: the list is reused read after read, and attributesReader keeps what it worked out per frozen list.
  wantedWithProjection.set(projection, { keys: needs.keys, wanted: Object.freeze(wanted) });
  return wanted;
}
