import { parseArgs } from 'node:util';
import type { Durability } from '@magneto/core';
import type { ServerLimits } from './limits.js';

/**
 * The `magneto` command line: what each command accepts, its help text, and the parse of `magneto serve`'s
 * options into a `ServeOptions`, with an error naming the option for anything wrong (exit code 2).
 */

export const MAIN_HELP = `Usage: magneto <command> [options]

Amazon DynamoDB, embedded: serves DynamoDB's HTTP API on a local port (a drop-in for DynamoDB Local).

Commands:
  serve            Serve a database over HTTP (see magneto serve --help)
  backup           List, take and restore backups (see magneto backup --help)
  export           Export a table in DynamoDB's S3 export layout (see magneto export --help)
  import           Import files (CSV, DynamoDB JSON) into a new table (see magneto import --help)

Options:
  -h, --help       Show this help
  -v, --version    Show the version of @magneto/server

Example:
  magneto serve --port 8000 --data ./data
  aws dynamodb list-tables --endpoint-url http://127.0.0.1:8000
`;

export const SERVE_HELP = `Usage: magneto serve [options]

Serves a database over DynamoDB's HTTP protocol; point an AWS SDK or the AWS CLI at the URL it prints.
Without --data the database lives in memory and is gone when the server stops.

Options:
  --port N                     TCP port; 0 picks a free one (default 8000)
  --host HOST                  Interface to listen on (default 127.0.0.1)
  --region REGION              The region the server answers as (default us-east-1)
  --peer URL[,URL…]            Global tables: replicate with the magneto servers at these URLs (each
                               serving another --region); tables get replicas with UpdateTable ReplicaUpdates
  --peer-secret SECRET         With --peer: sign replication requests with SECRET (HMAC-SHA256) and refuse
                               unsigned ones; every server of the global table needs the same SECRET
  --data DIR                   Keep the database in DIR (created if missing): log, snapshots, a LOCK
                               that keeps a second server off it
  --durability MODE            With --data: strict (default; a write is answered once fsynced),
                               batched (fsynced every 100 ms) or none (never fsynced)
  --on-damage ACTION           With --data: what to do when recovery finds damage (a torn or corrupt
                               log, a bad snapshot; the damaged bytes are set aside, never deleted):
                               report (default; print it and serve what was recovered) or refuse
                               (print it and exit with code 1)
  --credentials FILE           Access control: a JSON file of principals (ARN, access keys, IAM
                               policies, tags); requests must be SigV4-signed by one of its keys
                               (strict mode) and are authorized by its policies
  --table-transition-ms N      How long tables stay CREATING / UPDATING / DELETING (default 0)
  --ttl-sweep-interval-ms N    How often Time to Live deletes expired items (default 60000)
  --ttl-transition-ms N        How long Time to Live stays ENABLING / DISABLING (default 30000)
  --enforce-capacity           Throttle requests beyond tables' provisioned or on-demand capacity, as
                               DynamoDB does (default: capacity is measured, never enforced)
  --faults FILE                Install fault injection with the rules in FILE (JSON: an array of rules,
                               or { "seed": N, "rules": [...] }) and serve its control endpoint
                               /_magneto/faults (GET, POST rules, DELETE); loopback hosts only
  --fault-control              Serve the fault control endpoint with no rules yet
  --savepoint-control          Per-test isolation for test suites: POST /_magneto/savepoint keeps the
                               database as it is, POST /_magneto/reset rolls back to it (and clears
                               fault rules); in memory only (not with --data); loopback hosts only
  --object-store B=DIR[,B=DIR…]
                               Export and import: S3 bucket B is the directory DIR (created if missing),
                               so ExportTableToPointInTime --s3-bucket B writes there in AWS's layout
                               and ImportTable reads from there; B=s3://BUCKET makes B that S3 bucket
                               (needs @aws-sdk/client-s3; AWS_ENDPOINT_URL_S3 names an S3-compatible
                               endpoint, reached path-style)
  --http fast|node             The HTTP implementation (default fast)
  --headers-timeout-ms N       Time to receive a request's headers (default 60000)
  --request-timeout-ms N       Time to receive a whole request (default 300000)
  --keep-alive-timeout-ms N    How long an idle keep-alive connection stays open (default 60000)
  --max-buffered-bytes N       Memory for request bodies being received (default 134217728)
  --dax                        Serve through a DAX-style accelerator (@magneto/dax): DAX's item and
                               query caches, write-through, and its staleness for writes around it
  --dax-record-ttl-millis N    With --dax: the item cache's TTL (DAX's record-ttl-millis; default
                               300000, 0 = until evicted)
  --dax-query-ttl-millis N     With --dax: the query cache's TTL (DAX's query-ttl-millis; default
                               300000, 0 = no query cache)
  -h, --help                   Show this help

Examples:
  magneto serve
  magneto serve --port 8001 --data ./data --durability batched
  magneto serve --ttl-sweep-interval-ms 1000 --ttl-transition-ms 0
  magneto serve --dax --dax-record-ttl-millis 60000
  magneto serve --object-store exports=./exports
`;

/** What `magneto serve` was asked to do. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly region: string;
  readonly tableTransitionMs: number;
  /** Absent: the database is in memory. */
  readonly data?: { readonly dir: string; readonly durability: Durability; readonly onDamage: 'refuse' | 'report' };
  readonly http: 'fast' | 'node';
  readonly limits: Partial<ServerLimits>;
  readonly ttl: { sweepIntervalMs?: number; transitionMs?: number };
  /** Whether capacity throttles (`--enforce-capacity`) or only measures. */
  readonly enforceCapacity: boolean;
  /** Absent: no accelerator. Present (`--dax`): serve through `dax(database, options)`. */
  readonly dax?: { recordTtlMillis?: number; queryTtlMillis?: number };
  /** `--credentials FILE`: principals, keys and policies for access control and strict SigV4. */
  readonly credentials?: string;
  /** Fault injection: the rules file (absent: no rules yet), when --faults or --fault-control is given. */
  readonly faults?: { readonly file?: string };
  /** `--savepoint-control`: serve /_magneto/savepoint and /_magneto/reset (memory storage only). */
  readonly savepointControl?: true;
  /** The other regions' servers to replicate global tables with (--peer); empty: no global tables. */
  readonly peers: readonly string[];
  /** `--object-store B=DIR|s3://BUCKET`: the directory (or real S3 bucket) of each bucket name exports and imports reach. */
  readonly objectStores: Readonly<Record<string, string>>;
  /** `--peer-secret`: the secret replication requests between the peers are signed with. */
  readonly peerSecret?: string;
}

/** A command line the CLI cannot run: the message names the bad option or value; `help` shows the usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly help = 'magneto serve --help',
  ) {
    super(message);
  }
}

/** The number flags, each with the least value it accepts. */
const NUMBERS = {
  port: 0,
  'table-transition-ms': 0,
  'ttl-sweep-interval-ms': 1,
  'ttl-transition-ms': 0,
  'headers-timeout-ms': 1,
  'request-timeout-ms': 1,
  'keep-alive-timeout-ms': 1,
  'max-buffered-bytes': 1,
  'dax-record-ttl-millis': 0,
  'dax-query-ttl-millis': 0,
} as const;
type NumberFlag = keyof typeof NUMBERS;

/** The limit flags, by the `ServerLimits` field each sets. */
const LIMIT_FLAGS = {
  'headers-timeout-ms': 'headersTimeoutMs',
  'request-timeout-ms': 'requestTimeoutMs',
  'keep-alive-timeout-ms': 'keepAliveTimeoutMs',
  'max-buffered-bytes': 'maxBufferedBytes',
} as const satisfies Partial<Record<NumberFlag, keyof ServerLimits>>;

/** The flags that take one of a few words. */
const CHOICES = {
  durability: ['strict', 'batched', 'none'],
  http: ['fast', 'node'],
  'on-damage': ['refuse', 'report'],
} as const;

const STRINGS = ['host', 'region', 'data', 'credentials', 'faults', 'peer', 'object-store', 'peer-secret'] as const;

/** Only with --data: they say how to keep a store, and there is none without it. */
const NEEDS_DATA = ['durability', 'on-damage'] as const;

/** Only with --dax: they set the accelerator's caches. */
const NEEDS_DAX = ['dax-record-ttl-millis', 'dax-query-ttl-millis'] as const;

/**
 * Reads the tokens of `args` (`flags`: each boolean flag's one-letter short form, '' for none) (parseArgs, not strict, so that the error is ours and names the option):
 * every option must be known, every string option must have a value, and no positional is accepted.
 * @returns each option's value by name; `true` for a flag.
 */
export function readOptions(args: readonly string[], strings: readonly string[], flags: Readonly<Record<string, string>>, help?: string): Map<string, string | true> {
  const { tokens } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: {
      ...Object.fromEntries(strings.map((name) => [name, { type: 'string' as const }])),
      // A flag with no one-letter form maps to ''.
      ...Object.fromEntries(Object.entries(flags).map(([name, short]) => [name, { type: 'boolean' as const, ...(short === '' ? {} : { short }) }])),
    },
  });
  const values = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unexpected argument '${token.value}'`, help);
    if (token.kind === 'option-terminator') continue;
    if (token.name in flags) {
      if (token.value !== undefined) throw new UsageError(`option ${token.rawName} takes no value`, help);
      values.set(token.name, true);
      continue;
    }
    if (!strings.includes(token.name)) throw new UsageError(`unknown option ${token.rawName}`, help);
    // `--port --data x` would otherwise read '--data' as the port.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`option ${token.rawName} needs a value`, help);
    }
    if (values.has(token.name)) throw new UsageError(`option ${token.rawName} is given twice`, help);
    values.set(token.name, token.value);
  }
  return values;
}

function numberOf(flag: NumberFlag, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const least = NUMBERS[flag];
  const most = flag === 'port' ? 65535 : Number.MAX_SAFE_INTEGER;
  if (text.trim() === '' || !Number.isInteger(value) || value < least || value > most) {
    throw new UsageError(`option --${flag} must be a whole number from ${least} to ${most}, got '${text}'`);
  }
  return value;
}

function choiceOf<F extends keyof typeof CHOICES>(flag: F, text: string | undefined): (typeof CHOICES)[F][number] | undefined {
  if (text === undefined) return undefined;
  const choices: readonly string[] = CHOICES[flag];
  if (!choices.includes(text)) throw new UsageError(`option --${flag} must be ${choices.join(' or ')}, got '${text}'`);
  return text as (typeof CHOICES)[F][number];
}

/** Parses `magneto serve`'s arguments; `'help'` when asked for help. @throws UsageError */
export function parseServeOptions(args: readonly string[]): ServeOptions | 'help' {
  const values = readOptions(args, [...Object.keys(NUMBERS), ...Object.keys(CHOICES), ...STRINGS], { help: 'h', 'enforce-capacity': '', dax: '', 'fault-control': '', 'savepoint-control': '' });
  if (values.has('help')) return 'help';
  const text = (name: string) => values.get(name) as string | undefined;
  const number = (flag: NumberFlag) => numberOf(flag, text(flag));
  const dir = text('data');
  if (dir === undefined) {
    const orphan = NEEDS_DATA.find((flag) => values.has(flag));
    if (orphan !== undefined) throw new UsageError(`option --${orphan} needs --data DIR (without it the database is in memory)`);
  }
  if (!values.has('dax')) {
    const orphan = NEEDS_DAX.find((flag) => values.has(flag));
    if (orphan !== undefined) throw new UsageError(`option --${orphan} needs --dax`);
  }
  const limits: Partial<ServerLimits> = {};
  for (const [flag, field] of Object.entries(LIMIT_FLAGS) as [keyof typeof LIMIT_FLAGS, keyof ServerLimits][]) {
    const value = number(flag);
    if (value !== undefined) limits[field] = value;
  }
  const ttl: ServeOptions['ttl'] = {};
  const sweepIntervalMs = number('ttl-sweep-interval-ms');
  if (sweepIntervalMs !== undefined) ttl.sweepIntervalMs = sweepIntervalMs;
  const transitionMs = number('ttl-transition-ms');
  if (transitionMs !== undefined) ttl.transitionMs = transitionMs;
  const dax: NonNullable<ServeOptions['dax']> = {};
  const recordTtlMillis = number('dax-record-ttl-millis');
  if (recordTtlMillis !== undefined) dax.recordTtlMillis = recordTtlMillis;
  const queryTtlMillis = number('dax-query-ttl-millis');
  if (queryTtlMillis !== undefined) dax.queryTtlMillis = queryTtlMillis;
  const durability = choiceOf('durability', text('durability')) ?? 'strict';
  const onDamage = choiceOf('on-damage', text('on-damage')) ?? 'report';
  const peers = text('peer')?.split(',') ?? [];
  for (const peer of peers) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(peer)) throw new UsageError(`option --peer must be URLs like http://host:port, got '${peer}'`);
  }
  const objectStores: Record<string, string> = {};
  for (const pair of text('object-store')?.split(',') ?? []) {
    const at = pair.indexOf('=');
    const bucket = pair.slice(0, at);
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`option --object-store must be BUCKET=DIR pairs, got '${pair}'`);
    if (Object.hasOwn(objectStores, bucket)) throw new UsageError(`option --object-store names bucket '${bucket}' twice`);
    objectStores[bucket] = pair.slice(at + 1);
  }
  if (text('peer-secret') !== undefined && peers.length === 0) throw new UsageError('option --peer-secret needs --peer');
  if (values.has('savepoint-control') && dir !== undefined) throw new UsageError('option --savepoint-control keeps savepoints of a database in memory, not with --data');
  return {
    port: number('port') ?? 8000,
    host: text('host') ?? '127.0.0.1',
    region: text('region') ?? 'us-east-1',
    tableTransitionMs: number('table-transition-ms') ?? 0,
    ...(dir === undefined ? {} : { data: { dir, durability, onDamage } }),
    http: choiceOf('http', text('http')) ?? 'fast',
    ...(text('credentials') === undefined ? {} : { credentials: text('credentials')! }),
    limits,
    ttl,
    enforceCapacity: values.has('enforce-capacity'),
    ...(values.has('dax') ? { dax } : {}),
    ...(values.has('faults') || values.has('fault-control') ? { faults: text('faults') === undefined ? {} : { file: text('faults')! } } : {}),
    ...(values.has('savepoint-control') ? { savepointControl: true as const } : {}),
    peers,
    objectStores,
    ...(text('peer-secret') === undefined ? {} : { peerSecret: text('peer-secret')! }),
  };
}
