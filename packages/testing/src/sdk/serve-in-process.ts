import { DynamoDBError, InternalServerError, encodeResponseBody, nextRequestId, type Database } from '@magneto/core';
import { resolveFromCachedOrder, type MiddlewareStack } from './resolved-stack.js';
import { skipRetryDelays } from './retry-delays.js';
import { sdkOutput } from './sdk-output.js';

/**
 * The parts of an AWS SDK v3 client the fast path uses: a `DynamoDBClient`, a `DynamoDBStreamsClient`, or a
 * `DynamoDBDocumentClient` (which shares its client's stack and config). Typed structurally, so this
 * package needs the SDK only as the caller's own peer.
 */
export interface InProcessClient {
  readonly config: object;
  readonly middlewareStack: {
    add(middleware: unknown, options: Record<string, unknown>): void;
    remove(nameOrMiddleware: string): boolean;
    concat(from: unknown): unknown;
  };
}

/** Options of {@link serveInProcess}. */
export interface ServeOptions {
  /**
   * `false`: retries happen at once, without the retry strategy's backoff (which waits up to seconds after
   * a throttle); attempts, quotas and which errors are retried stay the strategy's. Default true: the SDK's delays.
   */
  readonly retryDelays?: boolean;
}

/** What the SDK's stack carries through each middleware (the few members the fast path reads). */
interface HandlerArguments {
  readonly input: Record<string, unknown>;
  readonly request?: unknown;
}
interface HandlerContext {
  readonly commandName?: string;
  readonly __smithy_context?: { readonly operationSchema?: readonly unknown[] };
  readonly [key: string]: unknown;
}
interface SchemaProtocol {
  deserializeResponse(operation: object, context: object, response: WireResponse): Promise<unknown>;
}
interface WireResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}
type Next = (args: HandlerArguments) => Promise<{ response: unknown; output: unknown }>;

/** The request the fast path hands down the stack instead of an HTTP request: nothing to sign or measure. */
const IN_PROCESS_REQUEST = Object.freeze({ inProcess: 'magneto' });
const utf8 = new TextEncoder();
/** The client's middleware that only shape, sign or authenticate an HTTP request. */
const HTTP_ONLY = ['contentLengthMiddleware', 'getUserAgentMiddleware', 'hostHeaderMiddleware', 'recursionDetectionMiddleware', 'httpSigningMiddleware', 'httpAuthSchemeMiddleware'];

/**
 * Serves an AWS SDK v3 client's commands from an in-process Database, skipping what makes an in-process
 * call slow (JSON serialization, endpoint and host headers, SigV4 signing, HTTP, and re-sorting the middleware
 * stack on every send — see resolved-stack.ts): the command's input goes
 * straight to the database and its output comes back shaped as the SDK deserializes it (`$metadata`,
 * binary as Uint8Array, dates as Date). Everything else stays the SDK's own: the DocumentClient's
 * marshalling, paginators and waiters, the client's retry strategy (which still sees throttling errors), and
 * errors, which take the SDK's normal deserialization path from DynamoDB's wire body, so they are the SDK's
 * exception classes with `name`, `message`, `$fault`, `$metadata` and members such as CancellationReasons.
 * Returns the client. Needs `@aws-sdk/client-dynamodb` (or `-streams`) 3.1169 or later: the schema-serde
 * clients. Serving a client again (or a DocumentClient of it) only changes the database it answers from.
 *
 * @example
 * const db = new Database();
 * const client = serveInProcess(new DynamoDBClient({ region: 'us-east-1' }), db);
 * const docs = DynamoDBDocumentClient.from(client); // served in-process too
 */
export function serveInProcess<C extends InProcessClient>(client: C, db: Database, options: ServeOptions = {}): C {
  const config = client.config as { protocol?: unknown; protocolSettings?: { serviceTarget?: string }; serviceId?: string };
  const protocol = config.protocol as SchemaProtocol | undefined;
  const service = config.protocolSettings?.serviceTarget;
  if (protocol === undefined || typeof protocol.deserializeResponse !== 'function' || service === undefined) {
    throw new TypeError(`serveInProcess needs a DynamoDBClient or DynamoDBStreamsClient of @aws-sdk 3.1169 or later (schema serde); got ${String(config.serviceId)}`);
  }
  if (options.retryDelays === false) skipRetryDelays(client.config);
  // Served already (this client, or the DynamoDBClient a DocumentClient shares its stack with): only the database changes.
  const served = SERVED.get(client.middlewareStack);
  if (served !== undefined) {
    served.db = db;
    return client;
  }
  const binding = { db };
  SERVED.set(client.middlewareStack, binding);
  // What only an HTTP request needs: its headers, its signature and the credentials to sign it with. Fewer
  // entries also make the stack the SDK resolves on every send cheaper.
  for (const name of HTTP_ONLY) client.middlewareStack.remove(name);
  // In-process there is no endpoint to resolve (resolving one copies the whole client config per call), and
  // the merged stack of each send is resolved from an order found once per command class.
  resolveFromCachedOrder(client.middlewareStack as unknown as MiddlewareStack, ['endpointV2Middleware']);
  // Same names as the SDK's serde middleware, so these replace it for this client (and its DocumentClients).
  client.middlewareStack.add(
    (next: Next) => (args: HandlerArguments) => next({ input: args.input, request: IN_PROCESS_REQUEST }),
    { step: 'serialize', name: 'serializerMiddleware', tags: ['SERIALIZER'], override: true },
  );
  client.middlewareStack.add(
    (_next: Next, context: HandlerContext) => (args: HandlerArguments) => answer(binding.db, service, protocol, client.config, context, args.input),
    { step: 'deserialize', name: 'deserializerMiddleware', tags: ['DESERIALIZER'], override: true },
  );
  return client;
}

/** The database each served middleware stack answers from (a DocumentClient shares its client's stack). */
const SERVED = new WeakMap<object, { db: Database }>();

/** Runs the command on the database: its output as the SDK shapes it, or the SDK's exception for its error. */
async function answer(
  db: Database,
  service: string,
  protocol: SchemaProtocol,
  config: object,
  context: HandlerContext,
  input: Record<string, unknown>,
): Promise<{ response: unknown; output: unknown }> {
  const schema = context.__smithy_context?.operationSchema;
  const operation = schema?.[2];
  const requestId = nextRequestId();
  try {
    if (typeof operation !== 'string') throw new InternalServerError('The in-process client sent a command without an operation schema');
    const output = await db.execute(service as never, operation, input);
    return { response: IN_PROCESS_REQUEST, output: sdkOutput(output, requestId) };
  } catch (error) {
    throw await sdkError(error, requestId, protocol, config, context, schema);
  }
}

/** The exception the SDK makes of DynamoDB's wire answer to this error: its own deserialization, unchanged. */
async function sdkError(
  error: unknown,
  requestId: string,
  protocol: SchemaProtocol,
  config: object,
  context: HandlerContext,
  schema: readonly unknown[] | undefined,
): Promise<unknown> {
  const failure = error instanceof DynamoDBError ? error : internalError(error);
  const body = utf8.encode(encodeResponseBody(failure.wireBody()));
  const response: WireResponse = {
    statusCode: failure.statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length), 'x-amzn-requestid': requestId },
    body,
  };
  const [, namespace, name, traits, input, output] = schema ?? [];
  try {
    await protocol.deserializeResponse({ name, namespace, traits, input, output }, { ...config, ...context }, response);
  } catch (sdkException) {
    // As the SDK's deserializer leaves it: the raw response hidden on the exception.
    if (sdkException !== null && typeof sdkException === 'object') {
      Object.defineProperty(sdkException, '$response', { value: response, enumerable: false, writable: false, configurable: false });
    }
    return sdkException;
  }
  return new Error(`The SDK did not read DynamoDB's ${failure.name} answer as an error`);
}

function internalError(error: unknown): InternalServerError {
  // Not one of DynamoDB's errors: a bug in Magneto. Keep it visible rather than disguised.
  console.error('magneto: internal error while serving a request', error);
  return new InternalServerError('Internal server error');
}
