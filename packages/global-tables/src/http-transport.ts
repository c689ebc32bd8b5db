import type { ReplicationMessage, Transport, TransportEndpoint } from './transport.js';

/** The path a server answers replication messages on (POST, JSON). */
export const REPLICATION_PATH = '/magneto/replication';

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  /** The base URLs of the other regions' servers (`http://host:port`); their regions are asked for. */
  peers: readonly string[];
  /** How often an unreachable peer is asked for its region again, in ms. Default 1000. */
  discoveryMs?: number;
  /** The fetch to send with. Default: the global fetch. */
  fetch?: typeof fetch;
  /**
   * A secret shared by every server of the global table: each POST is signed with it (HMAC-SHA256 of
   * its time and body, in {@link SIGNATURE_HEADER}) and a POST whose signature is missing, wrong or more
   * than 5 minutes off is refused. Absent: requests are neither signed nor checked.
   */
  secret?: string;
}

/** The header a signed replication request carries: `t=<ms since the epoch>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'x-magneto-replication-signature';

/** How far a signed request's time may be from the receiver's clock. */
const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/** A replication request refused because it is not signed with the shared secret (the server answers 403). */
export class ReplicationAuthenticationError extends Error {
  override readonly name = 'ReplicationAuthenticationError';
}

/** What a region POSTs to a peer: a message (or, to learn the peer's region, none) and its own region. */
interface Envelope {
  readonly from: string;
  readonly message?: ReplicationMessage;
}

/**
 * Replication between `magneto serve` instances over HTTP: each server POSTs its messages to its peers'
 * {@link REPLICATION_PATH} and answers theirs with `handle` (the server routes that path to it). A message
 * that fails to arrive is resent by the replication channel, so a peer down for a while catches up.
 *
 * @example
 * const transport = new HttpTransport({ peers: ['http://127.0.0.1:8001'] });
 * const db = new Database({ region: 'us-east-1', modules: [streams(), globalTables({ transport })] });
 * await startServer({ database: db, region: 'us-east-1', replication: transport });
 */
export class HttpTransport implements Transport {
  private readonly urls = new Map<string, string>();
  private readonly unknown: Set<string>;
  private readonly discoveryMs: number;
  private readonly send: typeof fetch;
  private region: string | undefined;
  private receive: ((from: string, message: ReplicationMessage) => void) | undefined;
  private discovery: ReturnType<typeof setTimeout> | undefined;
  private readonly key: Promise<CryptoKey> | undefined;

  constructor(options: HttpTransportOptions) {
    this.key =
      options.secret === undefined
        ? undefined
        : crypto.subtle.importKey('raw', new TextEncoder().encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    this.unknown = new Set(options.peers.map((url) => url.replace(/\/+$/, '')));
    this.discoveryMs = options.discoveryMs ?? 1000;
    this.send = options.fetch ?? ((...args) => fetch(...args));
  }

  attach(region: string, receive: (from: string, message: ReplicationMessage) => void): TransportEndpoint {
    if (this.receive !== undefined) throw new Error('HttpTransport: a region is attached already');
    this.region = region;
    this.receive = receive;
    void this.discover();
    return {
      send: (to, message) => {
        const url = this.urls.get(to);
        // Unknown or unreachable: lost, as on any network; the channel sends it again later.
        if (url !== undefined) this.post(url, { from: region, message }).catch(() => {});
      },
      close: () => {
        this.receive = undefined;
        if (this.discovery !== undefined) clearTimeout(this.discovery);
      },
    };
  }

  /**
   * Answers a POST to {@link REPLICATION_PATH}: delivers the message, and names this region. With a
   * `secret`, first checks the request's {@link SIGNATURE_HEADER} (rejecting with
   * ReplicationAuthenticationError when it does not verify).
   */
  handle(body: string, signature?: string): string | Promise<string> {
    if (this.key === undefined) return this.deliver(body);
    return this.verify(body, signature).then((valid) => {
      if (!valid) throw new ReplicationAuthenticationError('The replication request is not signed with this global table\'s peer secret');
      return this.deliver(body);
    });
  }

  private deliver(body: string): string {
    const envelope = JSON.parse(body, revive) as Envelope;
    if (envelope.message !== undefined) this.receive?.(envelope.from, envelope.message);
    return JSON.stringify({ region: this.region });
  }

  private async verify(body: string, signature: string | undefined): Promise<boolean> {
    const match = signature === undefined ? null : /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    if (match === null) return false;
    const time = Number(match[1]);
    if (Math.abs(Date.now() - time) > SIGNATURE_WINDOW_MS) return false;
    const mac = new Uint8Array(32);
    for (let i = 0; i < 32; i++) mac[i] = parseInt(match[2]!.slice(2 * i, 2 * i + 2), 16);
    return crypto.subtle.verify('HMAC', (await this.key)!, mac, new TextEncoder().encode(`${time}.${body}`));
  }

  private async sign(body: string): Promise<Record<string, string>> {
    if (this.key === undefined) return {};
    const time = Date.now();
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key, new TextEncoder().encode(`${time}.${body}`)));
    let hex = '';
    for (const byte of mac) hex += byte.toString(16).padStart(2, '0');
    return { [SIGNATURE_HEADER]: `t=${time},v1=${hex}` };
  }

  /** The regions reached so far, with their URLs. */
  get peers(): ReadonlyMap<string, string> {
    return this.urls;
  }

  private async post(url: string, envelope: Envelope): Promise<{ region?: string }> {
    const body = JSON.stringify(envelope, replace);
    const response = await this.send(`${url}${REPLICATION_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await this.sign(body)) }, body });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return (await response.json()) as { region?: string };
  }

  /** Asks each peer whose region is not known yet for it, again later while some are unreachable. */
  private async discover(): Promise<void> {
    this.discovery = undefined;
    await Promise.all(
      [...this.unknown].map(async (url) => {
        try {
          const { region } = await this.post(url, { from: this.region! });
          if (typeof region !== 'string') return;
          this.urls.set(region, url);
          this.unknown.delete(url);
        } catch {
          // Not up yet.
        }
      }),
    );
    if (this.unknown.size > 0 && this.receive !== undefined) {
      this.discovery = setTimeout(() => void this.discover(), this.discoveryMs);
      (this.discovery as { unref?: () => void }).unref?.();
    }
  }
}

// Binary attribute values (B, BS) travel as base64 in JSON.
function replace(this: unknown, _key: string, value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  let binary = '';
  for (const byte of value) binary += String.fromCharCode(byte);
  return { $b64: btoa(binary) };
}

function revive(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || typeof (value as { $b64?: unknown }).$b64 !== 'string') return value;
  const binary = atob((value as { $b64: string }).$b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
