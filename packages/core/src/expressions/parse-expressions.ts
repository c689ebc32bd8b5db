import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';
import { ParseCache } from './parse-cache.js';
import { parseConditionText, parseProjectionText, parseUpdateText } from './parser.js';

/** The request parameters a condition-shaped expression can arrive in (named in DynamoDB's error messages). */
export type ConditionParameter = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';

/** How many parsed trees each cache keeps. */
const PARSE_CACHE_CAPACITY = 1000;

const conditionCaches: Readonly<Record<ConditionParameter, ParseCache<ConditionNode>>> = {
  ConditionExpression: new ParseCache(PARSE_CACHE_CAPACITY),
  FilterExpression: new ParseCache(PARSE_CACHE_CAPACITY),
  KeyConditionExpression: new ParseCache(PARSE_CACHE_CAPACITY),
};
const updateCache = new ParseCache<UpdateNode>(PARSE_CACHE_CAPACITY);
const projectionCache = new ParseCache<ProjectionNode>(PARSE_CACHE_CAPACITY);

/**
 * Parses a Condition/Filter/KeyCondition expression into an unresolved AST (placeholders as written).
 * Throws ValidationException with DynamoDB's message ("Invalid ConditionExpression: Syntax error; token: …").
 * Results are cached by (parameter, text); the trees are frozen. Errors are not cached.
 * The order of the checks is documented in parser.ts.
 */
export function parseConditionExpression(text: string, parameter: ConditionParameter): ConditionNode {
  const cache = conditionCaches[parameter];
  let node = cache.get(text);
  if (node === undefined) {
    node = parseConditionText(text, parameter);
    cache.set(text, node);
  }
  return node;
}

/** Parses an UpdateExpression. Throws ValidationException ("Invalid UpdateExpression: …"). Cached by text. */
export function parseUpdateExpression(text: string): UpdateNode {
  let node = updateCache.get(text);
  if (node === undefined) {
    node = parseUpdateText(text);
    updateCache.set(text, node);
  }
  return node;
}

/** Parses a ProjectionExpression. Throws ValidationException ("Invalid ProjectionExpression: …"). Cached by text. */
export function parseProjectionExpression(text: string): ProjectionNode {
  let node = projectionCache.get(text);
  if (node === undefined) {
    node = parseProjectionText(text);
    projectionCache.set(text, node);
  }
  return node;
}

/** Empties the parse caches (tests and benchmarks). */
export function clearParseCaches(): void {
  for (const cache of Object.values(conditionCaches)) cache.clear();
  updateCache.clear();
  projectionCache.clear();
}
