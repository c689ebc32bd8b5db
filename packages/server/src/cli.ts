#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { Database, type DatabaseOptions } from '@magneto/core';
import type { ServerLimits } from './limits.js';
import { defaultModules, startServer } from './server.js';

const USAGE = `Usage: magneto serve [--port 8000] [--host 127.0.0.1] [--region us-east-1] [--table-transition-ms N]
                     [--data DIR [--durability strict|batched|none]] [--http fast|node]
                     [--headers-timeout-ms 60000] [--request-timeout-ms 300000] [--keep-alive-timeout-ms 60000]
                     [--max-buffered-bytes 134217728]`;

/** The limit flags, by the `ServerLimits` field each sets. */
const LIMIT_FLAGS = {
  'headers-timeout-ms': 'headersTimeoutMs',
  'request-timeout-ms': 'requestTimeoutMs',
  'keep-alive-timeout-ms': 'keepAliveTimeoutMs',
  'max-buffered-bytes': 'maxBufferedBytes',
} as const satisfies Record<string, keyof ServerLimits>;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'serve') {
    console.error(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  }
  let values: { port?: string; host?: string; region?: string; 'table-transition-ms'?: string; data?: string; durability?: string; http?: string } & {
    [flag in keyof typeof LIMIT_FLAGS]?: string;
  };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        region: { type: 'string' },
        'table-transition-ms': { type: 'string' },
        data: { type: 'string' },
        durability: { type: 'string' },
        http: { type: 'string' },
        ...Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port ?? 8000);
  const transition = Number(values['table-transition-ms'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(transition) || transition < 0) {
    console.error(`Invalid --port or --table-transition-ms\n${USAGE}`);
    return 2;
  }
  const durability = values.durability ?? 'strict';
  if (durability !== 'strict' && durability !== 'batched' && durability !== 'none') {
    console.error(`Invalid --durability ${durability}\n${USAGE}`);
    return 2;
  }
  const http = values.http ?? 'fast';
  if (http !== 'fast' && http !== 'node') {
    console.error(`Invalid --http ${http}\n${USAGE}`);
    return 2;
  }
  const limits: Partial<ServerLimits> = {};
  for (const [flag, field] of Object.entries(LIMIT_FLAGS) as [keyof typeof LIMIT_FLAGS, keyof ServerLimits][]) {
    const value = values[flag];
    if (value === undefined) continue;
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number <= 0) {
      console.error(`Invalid --${flag} ${value}\n${USAGE}`);
      return 2;
    }
    limits[field] = number;
  }
  const options: DatabaseOptions = { tableTransitionMs: transition, region: values.region ?? 'us-east-1', modules: defaultModules() };
  if (values.data !== undefined) {
    // Loaded only with --data: the in-memory server never pays for the file store's modules.
    const { fileStorage } = await import('@magneto/core/node');
    options.storage = fileStorage(values.data, { durability });
  }
  const database = new Database(options);
  // Recovery (and the directory's lock) before the port opens: a second server on one directory fails here.
  await database.open();
  const damage = database.recoveryReport?.damage ?? [];
  if (damage.length > 0) console.warn(`magneto: recovered ${values.data} with damage (set aside, not deleted):`, damage);
  const server = await startServer({ port, host: values.host ?? '127.0.0.1', region: values.region ?? 'us-east-1', database, http, limits });
  console.log(`Magneto is serving DynamoDB at ${server.url}${values.data === undefined ? '' : ` (data in ${values.data}, ${durability})`}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, shutting down`);
    // Keep-alive sockets in the middle of a request get a moment to finish; then exit regardless.
    setTimeout(() => process.exit(0), 5000).unref();
    // Requests in flight finish, then the store flushes and releases its lock.
    server
      .close()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`magneto: ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  },
);
