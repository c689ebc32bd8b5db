import { systemClock } from '@magneto/core';
import { DaxAccelerator, type DaxPlan, type DaxRequest, type DaxResponse } from './accelerator.js';
import { resolveDaxOptions, type DaxOptions } from './options.js';
import { REQUEST_METRICS, type DaxStats } from './stats.js';

/*
 * The accelerator in front of an AWS SDK v3 DynamoDBClient, as middleware on a copy of the client's stack.
 * Where it sits matters, because DynamoDBDocumentClient adds its own middleware per command: `DocumentMarshall`
 * (native JS to AttributeValues) just before the serializer, and `DocumentUnmarshall` just before the
 * deserializer. The cache must see AttributeValues both ways, so it is two middlewares:
 *
 *   DocumentMarshall → daxLookup → serializer → … signing, retries … → DocumentUnmarshall → daxFill → deserializer
 *
 * daxLookup answers a hit before anything is serialized, signed or sent (a Document client's hit is
 * unmarshalled here, since DocumentUnmarshall is never reached); daxFill sees the target's answer in
 * AttributeValue form and writes it into the caches. A plain DynamoDBClient has neither Document
 * middleware, so the client's copy carries no-op stand-ins under their names, which a Document command's
 * own middleware replaces (`override: true`).
 */

/** The part of a smithy middleware stack the accelerator uses. */
interface MiddlewareStack {
  addRelativeTo(middleware: Middleware, options: { name: string; relation: 'before' | 'after'; toMiddleware: string; override?: boolean }): void;
}

type Handler = (args: { input: DaxRequest }) => Promise<{ output: DaxResponse; response: unknown }>;
type Middleware = (next: Handler, context: Context) => Handler;
interface Context {
  commandName?: string;
}

/** What `dax(client)` accepts: an AWS SDK v3 client (DynamoDBClient, or one built the same way). */
export interface DaxClientTarget {
  middlewareStack: { clone(): object };
  config: object;
  send(...args: never[]): Promise<unknown>;
}

/** What `dax(client)` returns: a client of the same class sharing the target's configuration and transport, with the caches in its middleware. */
export type DaxClient<C> = C & {
  /** DAX's CloudWatch metrics for this accelerator (see DaxStats). */
  stats(): DaxStats;
};

type SdkModule = typeof import('@aws-sdk/client-dynamodb');
type UtilModule = typeof import('@aws-sdk/util-dynamodb');
// Loaded from the caller's install when first needed, never bundled: the SDK is the caller's (a peer
// dependency), and a bundler must not pull it into a program that never uses this placement.
const SDK = '@aws-sdk/client-dynamodb';
const UTIL = '@aws-sdk/util-dynamodb';
let sdk: Promise<SdkModule> | undefined;
let util: Promise<UtilModule> | undefined;
let loadedUtil: UtilModule | undefined;

/** A hit's `$metadata`: nothing was sent, so no status and no request id. */
const hitMetadata = () => ({ attempts: 0, totalRetryDelay: 0 });

/** `dax(client)`: see `dax`. */
export function daxClient<C extends DaxClientTarget>(client: C, options: DaxOptions = {}): DaxClient<C> {
  sdk ??= import(SDK) as Promise<SdkModule>;
  // A DynamoDBDocumentClient hit is unmarshalled with its own unmarshall (lib-dynamodb's dependency).
  util ??= (import(UTIL) as Promise<UtilModule>).then((module) => (loadedUtil = module));
  util.catch(() => undefined);
  const send = (command: unknown) => (client.send as (command: unknown) => Promise<DaxResponse>)(command);
  const accelerator = new DaxAccelerator(
    {
      async keyAttributeNames(tableName) {
        const { DescribeTableCommand } = await (sdk as Promise<SdkModule>);
        const { Table } = await send(new DescribeTableCommand({ TableName: tableName }));
        return ((Table as { KeySchema?: { AttributeName: string }[] } | undefined)?.KeySchema ?? []).map((element) => element.AttributeName);
      },
      async transactGetItems(input) {
        const { TransactGetItemsCommand } = await (sdk as Promise<SdkModule>);
        return send(new TransactGetItemsCommand(input as never));
      },
    },
    resolveDaxOptions(options, systemClock),
  );
  const plain = new WeakSet<Context>();
  const plans = new WeakMap<Context, Extract<DaxPlan, { kind: 'send' }>>();
  const config = client.config as { translateConfig?: { unmarshallOptions?: Record<string, unknown> } };

  const daxLookup: Middleware = (next, context) => async (args) => {
    const operation = context.commandName?.replace(/Command$/, '') ?? '';
    if (!Object.hasOwn(REQUEST_METRICS, operation)) return next(args);
    const plan = accelerator.plan(operation, args.input);
    if (plan.kind === 'hit') {
      let output = structuredClone(plan.output);
      if (!plain.has(context)) output = await unmarshallOutput(output, config.translateConfig?.unmarshallOptions);
      return { output: { ...output, $metadata: hitMetadata() }, response: {} };
    }
    plans.set(context, plan);
    try {
      return await next({ ...args, input: plan.input });
    } catch (error) {
      // The target's error, after the SDK's retries, passes through unchanged; the caches stay as they were.
      plans.delete(context);
      plan.fail();
      throw error;
    }
  };

  const daxFill: Middleware = (next, context) => async (args) => {
    const result = await next(args);
    const plan = plans.get(context);
    if (plan === undefined) return result;
    plans.delete(context);
    // Copies both ways: the caller may change what it receives, and the caches must not change with it.
    const answer = await plan.complete(structuredClone(result.output));
    return { ...result, output: structuredClone(answer) };
  };

  const stack = client.middlewareStack.clone() as MiddlewareStack;
  stack.addRelativeTo(
    (next, context) => (args) => {
      plain.add(context);
      return next(args);
    },
    { name: 'DocumentMarshall', relation: 'before', toMiddleware: 'serializerMiddleware', override: true },
  );
  stack.addRelativeTo((next) => next, { name: 'DocumentUnmarshall', relation: 'before', toMiddleware: 'deserializerMiddleware', override: true });
  stack.addRelativeTo(daxLookup, { name: 'daxLookup', relation: 'after', toMiddleware: 'DocumentMarshall' });
  stack.addRelativeTo(daxFill, { name: 'daxFill', relation: 'after', toMiddleware: 'DocumentUnmarshall' });

  const prototype = Object.getPrototypeOf(client) as { send(this: unknown, ...args: unknown[]): Promise<unknown> };
  const accelerated = Object.create(prototype) as DaxClient<C>;
  Object.assign(accelerated, client, {
    middlewareStack: stack,
    handlers: undefined,
    stats: () => accelerator.stats(),
    /**
     * A hit of a plain DynamoDB command (GetItem, Query, Scan) is answered here, before the SDK even resolves
     * its middleware stack (most of a send's cost); everything else is the client's own send, whose
     * middleware above handles the rest (a Document client sends through the stack, never this method).
     */
    send(this: unknown, ...args: unknown[]) {
      const command = args[0] as { input?: unknown; constructor: { name: string } } | undefined;
      if (args.length === 1 && command !== undefined && typeof command.input === 'object' && command.input !== null) {
        const output = accelerator.answer(command.constructor.name.replace(/Command$/, ''), command.input as DaxRequest);
        if (output !== undefined) return Promise.resolve({ ...structuredClone(output), $metadata: hitMetadata() });
      }
      return prototype.send.apply(this, args);
    },
  });
  return accelerated;
}

/** A Document client's hit, converted as DocumentUnmarshall converts the answers it sees (GetItem, BatchGetItem, Query, Scan). */
async function unmarshallOutput(output: DaxResponse, options: Record<string, unknown> = {}): Promise<DaxResponse> {
  const { unmarshall } = loadedUtil ?? (await (util as Promise<UtilModule>));
  // Whole items: lib-dynamodb converts each attribute with convertWithoutMapWrapper; one map is the same.
  const native = (item: unknown) => unmarshall(item as never, { ...options, convertWithoutMapWrapper: false });
  const converted: DaxResponse = { ...output };
  if (output.Item !== undefined) converted.Item = native(output.Item);
  if (Array.isArray(output.Items)) converted.Items = output.Items.map(native);
  if (output.LastEvaluatedKey !== undefined) converted.LastEvaluatedKey = native(output.LastEvaluatedKey);
  if (output.Responses !== undefined) {
    converted.Responses = Object.fromEntries(Object.entries(output.Responses as Record<string, unknown[]>).map(([table, items]) => [table, items.map(native)]));
  }
  return converted;
}
