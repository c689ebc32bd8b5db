/**
 * A lean keep-alive HTTP/1.1 client for the server benchmark: one TCP socket, one request in flight at a
 * time, the request written in one `write`, the response parsed just enough (status line, Content-Length,
 * body). node:http's client costs the load generator more CPU per request than the servers under test
 * spend, so with it the benchmark would measure the client; this one leaves the server as the bottleneck.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection; `send` must not be called again before its previous promise settles. */
export class RawConnection {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | undefined;
  private readonly head: string;

  private constructor(socket: Socket, host: string, fixedHeaders: Record<string, string>) {
    this.socket = socket;
    let head = `Host: ${host}\r\nConnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(fixedHeaders)) head += `${name}: ${value}\r\n`;
    this.head = head;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Opens a connection to `url` (http://host:port); `fixedHeaders` go on every request. */
  static open(url: string, fixedHeaders: Record<string, string>): Promise<RawConnection> {
    const { hostname, port, host } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket, host, fixedHeaders));
      });
      socket.once('error', reject);
    });
  }

  /** POST / with `extraHeaders` and `body`; resolves with the status and the body as text. */
  send(extraHeaders: string, body: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(`POST / HTTP/1.1\r\n${this.head}${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.pending = undefined;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end);
    const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!match) return this.fail(new Error(`response without Content-Length: ${head}`));
    const bodyStart = end + 4;
    const bodyEnd = bodyStart + Number(match[1]);
    if (this.buffered.length < bodyEnd) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffered.toString('utf8', bodyStart, bodyEnd);
    this.buffered = this.buffered.subarray(bodyEnd);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ status, body });
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
