#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import { accessControl, Database, faults, type DatabaseOptions, type FaultsModule } from '@magneto/core';
import { parseCredentialsFile, type ServerCredentials } from './auth.js';
import { MAIN_HELP, parseServeOptions, readOptions, SERVE_HELP, UsageError, type ServeOptions } from './cli-options.js';
import { formatDamage, recoveryProgressPrinter, recoverySummary } from './recovery-progress.js';
import { defaultModules, startServer } from './server.js';
import { savepointControls } from './savepoint-control.js';
import { globalTables, HttpTransport } from '@magneto/global-tables';
import type { ObjectStore } from '@magneto/backup';

const MAIN = 'magneto --help';

/** A command's outcome: an exit code, or `'serving'` while the server runs (it exits on a signal). */
type Outcome = number | 'serving';

async function main(argv: readonly string[]): Promise<Outcome> {
  const [command, ...rest] = argv;
  if (command === 'serve') {
    const options = parseServeOptions(rest);
    if (options === 'help') return help(SERVE_HELP);
    return serve(options);
  }
  if (command === 'backup') return (await import('./backup-command.js')).backupCommand(rest);
  if (command === 'export' || command === 'import') return (await import('./export-import-command.js')).exportImportCommand(command, rest);
  if (command !== undefined && !command.startsWith('-')) throw new UsageError(`unknown command '${command}'`, MAIN);
  const values = readOptions(argv, [], { help: 'h', version: 'v' }, MAIN);
  if (values.has('version')) {
    console.log(version());
    return 0;
  }
  return help(MAIN_HELP);
}

function help(text: string): number {
  process.stdout.write(text);
  return 0;
}

/** The version in the package.json beside dist/ (shipped with the package, read at run time). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function serve(options: ServeOptions): Promise<Outcome> {
  const { data } = options;
  const faultInjection = options.faults === undefined ? undefined : faultsFrom(options.faults.file);
  const objectStores = Object.keys(options.objectStores).length === 0 ? undefined : await objectStoresOf(options.objectStores, options.region);
  const modules = [...defaultModules({ ttl: options.ttl, enforceCapacity: options.enforceCapacity, ...(objectStores === undefined ? {} : { objectStores }) }), ...(faultInjection === undefined ? [] : [faultInjection])];
  let credentials: ServerCredentials[] | undefined;
  if (options.credentials !== undefined) {
    const file = parseCredentialsFile(readFileSync(options.credentials, 'utf8'));
    credentials = file.credentials;
    modules.push(accessControl(file.accessControl));
  }
  // --peer: global tables, replicated over HTTP with the other regions' servers.
  const replication = options.peers.length === 0 ? undefined : new HttpTransport({ peers: options.peers, ...(options.peerSecret === undefined ? {} : { secret: options.peerSecret }) });
  if (replication !== undefined) modules.push(globalTables({ transport: replication }));
  const databaseOptions: DatabaseOptions = { tableTransitionMs: options.tableTransitionMs, region: options.region, modules };
  if (data !== undefined) {
    const kind = kindOf(data.dir);
    if (kind !== undefined && kind !== 'directory') throw new UsageError(`option --data ${data.dir} names a ${kind}, not a directory`);
    // Loaded only with --data: the in-memory server never pays for the file store's modules.
    const { fileStorage } = await import('@magneto/core/node');
    const onRecoveryProgress = recoveryProgressPrinter(data.dir, (line) => console.error(line));
    databaseOptions.storage = fileStorage(data.dir, { durability: data.durability, onRecoveryProgress });
  }
  const database = new Database(databaseOptions);
  // Recovery (and the directory's lock) before the port opens: a second server on one directory fails here.
  await database.open();
  const report = database.recoveryReport;
  if (data !== undefined && report !== undefined) {
    const summary = recoverySummary(data.dir, report);
    if (summary !== undefined) console.error(summary);
    if (report.damage.length > 0) {
      const refuse = data.onDamage === 'refuse';
      console.error(`magneto: recovery of ${data.dir} found damage (set aside, not deleted)${refuse ? '; not serving it (--on-damage refuse)' : ''}:\n${formatDamage(report.damage)}`);
      if (refuse) {
        await database.close();
        return 1;
      }
    }
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port: options.port,
      host: options.host,
      region: options.region,
      database,
      http: options.http,
      limits: options.limits,
      ...(options.dax === undefined ? {} : { dax: options.dax }),
      ...(credentials === undefined ? {} : { credentials }),
      ...(faultInjection === undefined ? {} : { faults: faultInjection }),
      ...(options.savepointControl === true ? { controls: savepointControls(database, faultInjection) } : {}),
      ...(replication === undefined ? {} : { replication }),
    });
  } catch (error) {
    // The store's lock must not outlive a server that never started.
    await database.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`cannot listen on ${options.host}:${options.port}: the port is in use (try another --port, or --port 0 for a free one)`);
    throw error;
  }
  console.log(`Magneto is serving DynamoDB at ${server.url}${data === undefined ? '' : ` (data in ${data.dir}, ${data.durability})`}${options.dax === undefined ? '' : ', through a DAX-style accelerator'}`);

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
  return 'serving';
}

/** The faults module of `--faults FILE` (an array of rules, or `{ seed, rules }`) or `--fault-control` (no file). */
function faultsFrom(file: string | undefined): FaultsModule {
  if (file === undefined) return faults();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`option --faults ${file}: ${(error as Error).message}`);
  }
  const { seed, rules } = (Array.isArray(parsed) ? { rules: parsed } : parsed) as { seed?: number; rules?: [] };
  return faults({ ...(seed === undefined ? {} : { seed }), rules: rules ?? [] });
}

/** `--object-store B=DIR`: each bucket's directory store (loaded only with the flag). */
/** `--object-store`: each bucket name's directory, or (`s3://BUCKET`) that bucket in S3 through the AWS SDK. */
async function objectStoresOf(locations: Readonly<Record<string, string>>, region: string): Promise<Record<string, ObjectStore>> {
  const stores: Record<string, ObjectStore> = {};
  for (const [bucket, location] of Object.entries(locations)) {
    if (location.startsWith('s3://')) {
      const s3Bucket = location.slice('s3://'.length);
      if (!/^[^/]+$/.test(s3Bucket)) throw new UsageError(`option --object-store ${bucket}=${location} must name a whole bucket, like s3://BUCKET`);
      // The SDK's own variable for an S3-compatible endpoint; such endpoints are addressed path-style.
      const { s3Store } = await import('./export-import-command.js');
      stores[bucket] = await s3Store(s3Bucket, { region, endpoint: process.env['AWS_ENDPOINT_URL_S3'] });
      continue;
    }
    const kind = kindOf(location);
    if (kind !== undefined && kind !== 'directory') throw new UsageError(`option --object-store ${bucket}=${location} names a ${kind}, not a directory`);
    const { directoryObjectStore } = await import('@magneto/backup/node');
    stores[bucket] = directoryObjectStore(location);
  }
  return stores;
}

/** 'directory', 'file', another kind, or undefined when nothing is there. */
function kindOf(path: string): string | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'special file';
}

main(process.argv.slice(2)).then(
  (outcome) => {
    if (outcome !== 'serving') process.exitCode = outcome;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`magneto: ${error.message}\nRun '${error.help}' for usage.`);
      process.exitCode = 2;
      return;
    }
    console.error(`magneto: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
