import type { Database } from '@magneto/core';
import { serveInProcess, type InProcessClient, type ServeOptions } from './serve-in-process.js';

/** An AWS SDK v3 client class: `DynamoDBClient`, `DynamoDBDocumentClient` or `DynamoDBStreamsClient`. */
export interface InProcessClientClass {
  readonly name: string;
  readonly prototype: object;
}

const SDK_SEND = Symbol('the SDK send a served send wraps');
type Wrapped = ((...args: unknown[]) => unknown) & { [SDK_SEND]?: (...args: unknown[]) => unknown };

/**
 * Serves every instance of an AWS SDK client class from `db`, those the application already made and
 * those it makes later, as `aws-sdk-client-mock`'s `mockClient(DynamoDBDocumentClient)` intercepts every
 * instance: each is served in-process (`serveInProcess`) when it first sends. For application code that
 * builds its own client at module scope. Serve each class the code sends with (a `DynamoDBDocumentClient`
 * and the `DynamoDBClient` it wraps send separately). Returns a function that stops serving new instances;
 * an instance already served keeps answering from `db`. A later call for the same class takes over.
 * `options` as `serveInProcess`'s.
 *
 * @example
 * const restore = serveEveryInstance(DynamoDBDocumentClient, db);
 * afterAll(restore);
 */
export function serveEveryInstance(clientClass: InProcessClientClass, db: Database, options: ServeOptions = {}): () => void {
  const prototype = clientClass.prototype as { send(...args: unknown[]): unknown };
  if (typeof prototype.send !== 'function') throw new TypeError(`serveEveryInstance needs an AWS SDK client class; ${clientClass.name} has no send`);
  const own = Object.getOwnPropertyDescriptor(prototype, 'send');
  // The SDK's own send, past any earlier serveEveryInstance of this class (which would bind its own database).
  const send = (prototype.send as Wrapped)[SDK_SEND] ?? prototype.send;
  const served: Wrapped = function (this: InProcessClient, ...args: unknown[]): unknown {
    serveInProcess(this, db, options);
    return send.apply(this, args);
  };
  served[SDK_SEND] = send;
  Object.defineProperty(prototype, 'send', { value: served, writable: true, configurable: true });
  return () => {
    // Undone only while it is still the class's send: a later serveEveryInstance wrapped this one.
    if (prototype.send !== served) return;
    if (own === undefined) delete (prototype as { send?: unknown }).send;
    else Object.defineProperty(prototype, 'send', own);
  };
}
