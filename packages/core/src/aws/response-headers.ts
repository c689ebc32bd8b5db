import { crc32 } from '../persistence/crc32.js';

/**
 * The headers DynamoDB answers every request with, in its order: Content-Type (the request's JSON type,
 * see {@link replyContentType}), Content-Length, x-amz-crc32 (the CRC-32 of the body, which the AWS
 * SDKs for Java and Python v2 check) and x-amzn-RequestId. The one definition the in-process request
 * handler and both of the server's writers (node:http and its fast path) answer with.
 *
 * `checksum` computes the CRC-32: core's own by default (browser-safe); a Node server may pass
 * node:zlib's, which is native.
 *
 * @example
 * responseHeaders('application/x-amz-json-1.0', new TextEncoder().encode('{}'), 'ID');
 * // [['Content-Type', 'application/x-amz-json-1.0'], ['Content-Length', '2'], ['x-amz-crc32', '2745614147'], ['x-amzn-RequestId', 'ID']]
 */
export function responseHeaders(
  contentType: string,
  body: Uint8Array,
  requestId: string,
  checksum: (bytes: Uint8Array) => number = crc32,
): [name: string, value: string][] {
  return [
    ['Content-Type', contentType],
    ['Content-Length', String(body.length)],
    ['x-amz-crc32', String(checksum(body))],
    ['x-amzn-RequestId', requestId],
  ];
}

const JSON_10 = 'application/x-amz-json-1.0';
/** The request content types DynamoDB serves, as it names them back in its answer. */
const JSON_TYPES: ReadonlySet<string> = new Set([JSON_10, 'application/x-amz-json-1.1', 'application/json']);

/**
 * The Content-Type of an answer: the request's own JSON type (`application/x-amz-json-1.0`, `…-1.1` or
 * `application/json`, parameters such as `; charset=utf-8` dropped), as DynamoDB answers (dynalite
 * test/connection.js, recorded against DynamoDB); JSON 1.0 for any other.
 */
export function replyContentType(requestContentType: string | undefined): string {
  if (requestContentType === undefined) return JSON_10;
  const semi = requestContentType.indexOf(';');
  const media = (semi < 0 ? requestContentType : requestContentType.slice(0, semi)).trim().toLowerCase();
  return JSON_TYPES.has(media) ? media : JSON_10;
}
