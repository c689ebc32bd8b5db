import { Database } from '@magneto/core';
import { backup, type RestoreProgress } from '@magneto/backup';
import { readOptions, UsageError } from './cli-options.js';

export const BACKUP_HELP = `Usage: magneto backup <list|create|restore> [options]

Takes and restores DynamoDB on-demand backups of a database kept in a directory (--data, which no
server may hold open) or served by a running magneto (--endpoint).

Commands:
  list      [--table T]                      The backups, oldest first
  create    --table T --name NAME            Takes a backup of table T
  restore   --backup-arn ARN --target T      Restores a backup into the new table T (progress bar with --data)

Options:
  --data DIR        The directory a database is kept in (magneto serve --data DIR)
  --endpoint URL    A running server, e.g. http://127.0.0.1:8000
  --region REGION   The region the database answers as (default us-east-1)
  -h, --help        Show this help

Examples:
  magneto backup create --data ./data --table users --name nightly
  magneto backup list --endpoint http://127.0.0.1:8000
  magneto backup restore --data ./data --backup-arn arn:aws:dynamodb:...:table/users/backup/... --target users-restored
`;

const HELP = 'magneto backup --help';
const ACTIONS = ['list', 'create', 'restore'] as const;
type Action = (typeof ACTIONS)[number];

/** Runs a DynamoDB operation, in-process or on a server. */
export type Call = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** `magneto backup …`: returns the exit code; prints results on stdout and progress on stderr. */
export async function backupCommand(args: readonly string[], out: (line: string) => void = console.log, progress: (text: string) => void = (text) => process.stderr.write(text)): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    out(BACKUP_HELP.trimEnd());
    return 0;
  }
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown backup command '${action}'`, HELP);
  const values = readOptions(rest, ['data', 'endpoint', 'region', 'table', 'name', 'backup-arn', 'target'], { help: 'h' }, HELP);
  if (values.has('help')) {
    out(BACKUP_HELP.trimEnd());
    return 0;
  }
  const option = (name: string): string | undefined => values.get(name) as string | undefined;
  const required = (name: string): string => {
    const value = option(name);
    if (value === undefined) throw new UsageError(`magneto backup ${action} needs --${name}`, HELP);
    return value;
  };
  const data = option('data');
  const endpoint = option('endpoint');
  if ((data === undefined) === (endpoint === undefined)) throw new UsageError('give one of --data DIR or --endpoint URL', HELP);
  const region = option('region') ?? 'us-east-1';
  const input = inputOf(action as Action, option, required);
  if (endpoint !== undefined) {
    out(formatResult(action as Action, await serverCall(endpoint, region)(operationOf(action as Action), input)));
    return 0;
  }
  const { fileStorage } = await import('@magneto/core/node');
  const backups = backup();
  const { defaultModules } = await import('./server.js');
  const modules = defaultModules().filter((module) => module.name !== 'backup');
  const db = new Database({ region, storage: fileStorage(data!), modules: [...modules, backups] });
  await db.open();
  try {
    const stop = backups.onRestoreProgress((p) => progress(progressBar(p)));
    const output = (await db.execute('DynamoDB_20120810', operationOf(action as Action), input)) as Record<string, unknown>;
    stop();
    out(formatResult(action as Action, output));
  } finally {
    await db.close();
  }
  return 0;
}

function operationOf(action: Action): string {
  return { list: 'ListBackups', create: 'CreateBackup', restore: 'RestoreTableFromBackup' }[action];
}

function inputOf(action: Action, option: (name: string) => string | undefined, required: (name: string) => string): Record<string, unknown> {
  if (action === 'list') {
    const table = option('table');
    return { BackupType: 'ALL', ...(table === undefined ? {} : { TableName: table }) };
  }
  if (action === 'create') return { TableName: required('table'), BackupName: required('name') };
  return { BackupArn: required('backup-arn'), TargetTableName: required('target') };
}

/**
 * A JSON 1.0 call to a magneto (or DynamoDB-compatible) server, SigV4-signed with AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY from the environment (default local/local: what a server without --credentials takes).
 */
export function serverCall(endpoint: string, region: string): Call {
  return async (operation, input) => {
    const [{ SignatureV4 }, { Hash }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]);
    const url = new URL(endpoint);
    const credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local' };
    const signer = new SignatureV4({ service: 'dynamodb', region, credentials, sha256: Hash.bind(null, 'sha256') });
    const body = JSON.stringify(input);
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body,
    });
    const response = await fetch(endpoint, { method: 'POST', headers: signed.headers, body });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${String(answer.__type).split('#').pop()}: ${String(answer.message ?? answer.Message ?? '')}`);
    return answer;
  };
}

/** A date from the SDK shape (Date) or the wire (epoch seconds). */
const isoOf = (value: unknown): string => (value instanceof Date ? value : new Date(Number(value) * 1000)).toISOString();

function formatResult(action: Action, output: Record<string, unknown>): string {
  if (action === 'list') {
    const summaries = (output.BackupSummaries ?? []) as Array<Record<string, unknown>>;
    if (summaries.length === 0) return 'No backups.';
    return summaries.map((s) => `${isoOf(s.BackupCreationDateTime)}  ${String(s.TableName)}  ${String(s.BackupName)}  ${String(s.BackupType)}  ${String(s.BackupStatus)}  ${String(s.BackupSizeBytes)} bytes  ${String(s.BackupArn)}`).join('\n');
  }
  if (action === 'create') {
    const details = output.BackupDetails as Record<string, unknown>;
    return `Backup ${String(details.BackupName)} (${String(details.BackupStatus)}, ${String(details.BackupSizeBytes)} bytes): ${String(details.BackupArn)}`;
  }
  const table = output.TableDescription as Record<string, unknown>;
  return `Restored table ${String(table.TableName)} (${String(table.TableStatus)}, ${String(table.ItemCount)} items)`;
}

const BAR = 30;

/** One redraw of the progress bar (a carriage return, no newline until the restore is done). */
export function progressBar({ targetTableName, itemsDone, itemsTotal }: RestoreProgress): string {
  const fraction = itemsTotal === 0 ? 1 : itemsDone / itemsTotal;
  const filled = Math.round(fraction * BAR);
  const done = itemsDone >= itemsTotal;
  return `\r${targetTableName} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${itemsDone}/${itemsTotal} items${done ? '\n' : ''}`;
}
