/**
 * The access control tests' setup: a database with `accessControl()` and SDK clients signed with each
 * principal's access key, served in-process or by `@magneto/server` in strict mode (every signature verified).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach } from 'vitest';
import { accessControl, createRequestHandler, Database, type AccessControlOptions, type PolicyDocument, type PrincipalOptions } from '@magneto/core';
import type { Transport } from '../support/sdk.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const tableArn = (name: string): string => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
export const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;

/** A principal named `name`: user ARN, access key `AK<NAME>`, the given policies and tags. */
export function user(name: string, policies: PolicyDocument[], tags?: Record<string, string>, arn = userArn(name)): PrincipalOptions {
  return tags === undefined ? { arn, accessKeyIds: [accessKey(name)], policies } : { arn, accessKeyIds: [accessKey(name)], policies, tags };
}
export const accessKey = (name: string): string => `AK${name.toUpperCase()}`;

/** A policy of one statement per argument. */
export function policy(...Statement: PolicyDocument['Statement'][]): PolicyDocument {
  return { Version: '2012-10-17', Statement: Statement.flat() as PolicyDocument['Statement'] };
}

/** AWS's denial message. */
export function denied(principal: string, action: string, resource: string, reason?: string): string {
  const tail = reason ?? `because no identity-based policy allows the dynamodb:${action} action`;
  return `User: ${userArn(principal)} is not authorized to perform: dynamodb:${action} on resource: ${resource} ${tail}`;
}

interface RunningServer {
  url: string;
  close(): Promise<void>;
}
type StartServer = (options: { port?: number; database?: Database; credentials?: readonly { accessKeyId: string; secretAccessKey: string }[] }) => Promise<RunningServer>;
const { startServer } = (await import(/* @vite-ignore */ '@magneto/server' as string)) as { startServer: StartServer };

/** A database with access control, and `clientOf(principal)` making SDK clients that sign as that principal. */
export type AccessControlFactory = (options: AccessControlOptions) => Promise<{ db: Database; clientOf: (principal: string) => DynamoDBClient }>;

/** The factory for a transport; HTTP servers and clients are closed after each test. */
export function accessControlled(transport: Transport): AccessControlFactory {
  const open: Array<{ close(): Promise<void> | void }> = [];
  afterEach(async () => {
    for (const closable of open.splice(0).reverse()) await closable.close();
  });
  return async (options) => {
    const db = new Database({ modules: [accessControl(options)] });
    const credentials = (principal: string) => ({ accessKeyId: accessKey(principal), secretAccessKey: `secret-${principal}` });
    if (transport === 'in-process') {
      return { db, clientOf: (principal) => new DynamoDBClient({ region: REGION, credentials: credentials(principal), requestHandler: createRequestHandler(db) }) };
    }
    const keys = Object.keys(options.principals).map(credentials);
    keys.push(credentials('stranger'));
    const server = await startServer({ port: 0, database: db, credentials: keys });
    open.push(server);
    return {
      db,
      clientOf: (principal) => {
        const client = new DynamoDBClient({ endpoint: server.url, region: REGION, credentials: credentials(principal) });
        open.push({ close: () => client.destroy() });
        return client;
      },
    };
  };
}
