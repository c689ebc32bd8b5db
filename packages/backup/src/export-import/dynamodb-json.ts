import { decodeRequestBody, type Item } from '@magneto/core';

/**
 * The item of a DynamoDB JSON line (`{"Item":{…}}`, binary as base64), parsed as the wire parses a request,
 * so a value reads back exactly as PutItem would read it; throws (a line error, counted by ImportTable)
 * when the line is not one.
 */
export function decodeItemLine(line: string): Item {
  const decoded = decodeRequestBody(line);
  const item = decoded.Item;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('Line is not an object with an Item member');
  return item as Item;
}
