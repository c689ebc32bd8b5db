import type { LogAppender, LogDevice } from '@magneto/core';

/** A LogDevice in memory; each append and sync waits in `pending` until released. */
export class GatedDevice implements LogDevice {
  readonly location = 'memory://gated';
  readonly files = new Map<string, Uint8Array[]>();
  readonly pending: Array<{ kind: 'append' | 'sync'; release: () => void }> = [];
  appends = 0;
  syncs = 0;
  gated = false;
  failNext: Error | undefined;

  private gate(kind: 'append' | 'sync'): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    if (!this.gated) return Promise.resolve();
    return new Promise((resolve) => this.pending.push({ kind, release: resolve }));
  }

  /** Completes every gated append and sync so far, then lets the store move on. */
  async releaseAll(): Promise<void> {
    for (const entry of this.pending.splice(0)) entry.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  async lock(): Promise<void> {}
  async unlock(): Promise<void> {}
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
  async read(name: string): Promise<Uint8Array> {
    const chunks = this.files.get(name) ?? [];
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
  async openAppender(name: string): Promise<LogAppender> {
    const chunks: Uint8Array[] = [];
    this.files.set(name, chunks);
    return {
      writesAreDurable: false,
      append: async (data) => {
        this.appends++;
        await this.gate('append');
        chunks.push(...data.map((c) => c.slice()));
      },
      sync: async () => {
        this.syncs++;
        await this.gate('sync');
      },
      close: async () => {},
    };
  }
  async writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const out: Uint8Array[] = [];
    for await (const chunk of chunks) out.push(chunk.slice());
    this.files.set(name, out);
  }
  async truncate(name: string, length: number): Promise<void> {
    this.files.set(name, [(await this.read(name)).slice(0, length)]);
  }
  async rename(from: string, to: string): Promise<void> {
    this.files.set(to, this.files.get(from)!);
    this.files.delete(from);
  }
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }
}
