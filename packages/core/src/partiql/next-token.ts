import { ValidationException } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';

/**
 * ExecuteStatement's NextToken: the LastEvaluatedKey of the page it ends, with the statement it belongs
 * to, as opaque text (base64 of JSON; binary key values as byte arrays). A token handed to another
 * statement, or not one of these, is refused. DynamoDB's tokens are opaque too; its message for a bad
 * one is not recorded.
 */
const MSG_INVALID = 'The provided NextToken is not valid';

interface TokenBody {
  readonly s: string;
  readonly k: Record<string, unknown>;
}

/** The token continuing `statement` after `lastEvaluatedKey`. */
export function encodeNextToken(statement: string, lastEvaluatedKey: Record<string, AttributeValue>): string {
  const json = JSON.stringify({ s: statement, k: lastEvaluatedKey } satisfies TokenBody, (_name, value: unknown) =>
    value instanceof Uint8Array ? { bytes: Array.from(value) } : value,
  );
  return base64(new TextEncoder().encode(json));
}

/** The ExclusiveStartKey a token of `statement` holds; ValidationException for any other text. */
export function decodeNextToken(statement: string, token: string): Record<string, AttributeValue> {
  let body: TokenBody;
  try {
    const bytes = Uint8Array.from(atob(token), (c) => c.charCodeAt(0));
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), (_name, value: unknown) => {
      const bytesOf = (value as { bytes?: unknown } | null)?.bytes;
      return Array.isArray(bytesOf) ? Uint8Array.from(bytesOf as number[]) : value;
    }) as TokenBody;
  } catch {
    throw new ValidationException(MSG_INVALID);
  }
  if (body === null || typeof body !== 'object' || body.s !== statement || body.k === null || typeof body.k !== 'object') {
    throw new ValidationException(MSG_INVALID);
  }
  return body.k as Record<string, AttributeValue>;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
