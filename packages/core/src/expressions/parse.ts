// PLACEHOLDER: the parser work fills this in (issue 3).
import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';

/** The request parameters a condition-shaped expression can arrive in (named in DynamoDB's error messages). */
export type ConditionParameter = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';

/**
 * Parses a Condition/Filter/KeyCondition expression into an unresolved AST (placeholders as written).
 * Throws ValidationException with DynamoDB's message ("Invalid ConditionExpression: Syntax error; token: …").
 * Results are cached by (parameter, text).
 */
export function parseConditionExpression(_text: string, _parameter: ConditionParameter): ConditionNode {
  throw new Error('not implemented');
}

/** Parses an UpdateExpression. Throws ValidationException ("Invalid UpdateExpression: …"). Cached by text. */
export function parseUpdateExpression(_text: string): UpdateNode {
  throw new Error('not implemented');
}

/** Parses a ProjectionExpression. Throws ValidationException ("Invalid ProjectionExpression: …"). Cached by text. */
export function parseProjectionExpression(_text: string): ProjectionNode {
  throw new Error('not implemented');
}
