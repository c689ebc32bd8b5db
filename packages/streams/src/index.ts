/**
 * @magneto/streams — DynamoDB Streams for Magneto.
 *
 * @example
 * import { Database } from '@magneto/core';
 * import { streams } from '@magneto/streams';
 * const db = new Database({ modules: [streams()] });
 */
export {};
