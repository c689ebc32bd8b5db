/**
 * @magneto/server — Magneto over HTTP: a DynamoDB-compatible endpoint for any AWS SDK or the AWS CLI.
 *
 * @example
 * import { startServer } from '@magneto/server';
 * const server = await startServer({ port: 8000 });
 * // new DynamoDBClient({ endpoint: server.url, ... })
 */
export { startServer, defaultModules, MAX_REQUEST_BYTES, type ServerOptions, type RunningServer, type ControlHandler } from './server.js';
export type { ServerCredentials } from './auth.js';
export { DEFAULT_LIMITS, type ServerLimits } from './limits.js';
export { savepointControls } from './savepoint-control.js';
