import { decodeRequestBody, encodeResponseBody, type Item } from '@magneto/core';

/**
 * One line of a DynamoDB JSON export (and of an ImportTable source in DYNAMODB_JSON): `{"Item":{…}}`,
 * AttributeValues in the wire's JSON (binary as base64). Parsed as the wire parses a request, so a
 * value reads back exactly as PutItem would read it.
 */
export function encodeItemLine(item: Item): string {
  return encodeResponseBody({ Item: item });
}

/** The item of a DynamoDB JSON line; throws (a line error, counted by ImportTable) when the line is not one. */
export function decodeItemLine(line: string): Item {
  const decoded = decodeRequestBody(line);
  const item = decoded.Item;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('Line is not an object with an Item member');
  return item as Item;
}
