/**
 * Request ids shaped like DynamoDB's (52 characters of A–Z and 0–9), for every answer: the request
 * handler's and the server's own (health, protocol errors). A counter behind a per-process random
 * prefix: unique within the process and cheap (no crypto per request).
 */
const PREFIX = Array.from({ length: 20 }, () => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(Math.random() * 36)]).join('');
let counter = 0;

/** The next request id: 52 characters, [A-Z0-9]. */
export function nextRequestId(): string {
  return PREFIX + (++counter).toString(36).toUpperCase().padStart(32, '0');
}
