/** How long DynamoDB remembers an export's or import's ClientToken. */
export const CLIENT_TOKEN_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * ClientToken idempotency of ExportTableToPointInTime and ImportTable: within 8 hours, the same token with
 * the same parameters answers the first job again; with other parameters it is a conflict.
 */
export class ClientTokens<Job> {
  private readonly tokens = new Map<string, { readonly at: number; readonly fingerprint: string; readonly job: Job }>();

  /** The job an earlier request with this token started, 'conflict' when its parameters differ, or undefined. */
  find(token: string | undefined, fingerprint: string, now: number): Job | 'conflict' | undefined {
    if (token === undefined) return undefined;
    const entry = this.tokens.get(token);
    if (entry === undefined || now - entry.at >= CLIENT_TOKEN_TTL_MS) return undefined;
    return entry.fingerprint === fingerprint ? entry.job : 'conflict';
  }

  remember(token: string | undefined, fingerprint: string, now: number, job: Job): void {
    if (token === undefined) return;
    for (const [key, entry] of this.tokens) if (now - entry.at >= CLIENT_TOKEN_TTL_MS) this.tokens.delete(key);
    this.tokens.set(token, { at: now, fingerprint, job });
  }
}

/** A request's parameters as one comparable string, without its ClientToken. */
export function fingerprintOf(input: object): string {
  const { ClientToken: _token, ...rest } = input as Record<string, unknown>;
  return JSON.stringify(rest, (_key, value: unknown) => (value instanceof Date ? value.getTime() : value));
}
