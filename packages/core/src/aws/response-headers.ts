/**
 * The headers DynamoDB answers every request with, in its order: Content-Type (the request's JSON type,
 * see {@link replyContentType}), Content-Length, x-amz-crc32 (the CRC-32 of the body, which the AWS SDKs
 * for Java and Python check) and x-amzn-RequestId. The one definition the in-process request handler and
 * both of the server's writers (node:http and its fast path) answer with.
 *
 * `checksum` computes the CRC-32 (a Node server passes node:zlib's, which is native). Without one there
 * is no x-amz-crc32: the in-process handler serves only the AWS SDK for JavaScript, which never reads it,
 * and core's own CRC-32 would cost ~7 % of an in-process GetItem (about 2 µs of 28 µs, measured).
 *
 * @example
 * const body = new TextEncoder().encode('{}');
 * responseHeaders('application/x-amz-json-1.0', body, 'ID');
 * // [['Content-Type', 'application/x-amz-json-1.0'], ['Content-Length', '2'], ['x-amzn-RequestId', 'ID']]
 */
export function responseHeaders(
  contentType: string,
  body: Uint8Array,
  requestId: string,
  checksum?: (bytes: Uint8Array) => number,
): [name: string, value: string][] {
  const headers: [string, string][] = [
    ['Content-Type', contentType],
    ['Content-Length', String(body.length)],
  ];
  if (checksum !== undefined) headers.push(['x-amz-crc32', String(checksum(body))]);
  headers.push(['x-amzn-RequestId', requestId]);
  return headers;
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
