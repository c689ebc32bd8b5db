import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A local S3 server (s3rver, a pure-JS fake of S3's REST API) on loopback, in a child process. */
export interface LocalS3Server {
  /** Its endpoint, e.g. http://127.0.0.1:4569 (path-style addressing). */
  readonly endpoint: string;
  /** The client options that reach it (s3rver's fixed credentials). */
  readonly clientConfig: { endpoint: string; region: string; forcePathStyle: true; credentials: { accessKeyId: string; secretAccessKey: string } };
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Where s3rver is installed, or undefined (the S3 tests then skip). */
export function s3rverPath(): string | undefined {
  try {
    return require.resolve('s3rver');
  } catch {
    return undefined;
  }
}

/**
 * Starts s3rver with `buckets` created, its objects in a fresh temporary directory. A child process because
 * s3rver 3.7 signs ListObjectsV2 continuation tokens with DES, which Node 17+ only has with
 * `--openssl-legacy-provider` (a flag the test process itself cannot take).
 */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3Server> {
  const path = s3rverPath();
  if (path === undefined) throw new Error('s3rver is not installed');
  const directory = mkdtempSync(join(tmpdir(), 'magneto-s3rver-'));
  const script = `
    const S3rver = require(${JSON.stringify(path)});
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(directory)},
      configureBuckets: ${JSON.stringify(buckets.map((name) => ({ name })))} });
    server.run().then(({ port }) => process.stdout.write('PORT ' + port + '\\n'));
    process.stdin.on('end', () => server.close().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`s3rver exited with code ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clientConfig: { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(directory, { recursive: true, force: true });
          resolve();
        });
        // Closing its stdin stops it (a signal would not run its cleanup).
        child.stdin!.end();
      }),
  };
}
