import type { LogAppender, LogDevice } from '../log-device.js';
import { cipherFrames, concat, damagedTail, open, seal } from './cipher-frame.js';
import { KEY_CHECK_FILE, checkKey, refuseEncrypted } from './key-check.js';

/**
 * Encryption at rest: a LogDevice that encrypts everything it stores on `device` with AES-GCM
 * (WebCrypto, so it runs in browsers and Node alike) under the caller's key. Each appended batch and
 * each chunk of a file written whole is one frame with a fresh random 96-bit IV (see cipher-frame.ts);
 * reads decrypt. The log and snapshots above it are unchanged: a torn final frame reads as a torn
 * record and a frame that does not authenticate as a corrupt one, so recovery reports and cuts them as
 * it would any damage. Opening checks the key against the store's key-check file first: a wrong key is
 * an EncryptionKeyError ("wrong encryption key for <location>"), never garbage.
 *
 * The key must be an AES-GCM CryptoKey allowed to encrypt and decrypt (128 or 256 bits). Browsers
 * expose `crypto.subtle` in secure contexts only (https, localhost).
 *
 * @example
 * const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
 * const db = new Database({ storage: durableStorage(encryptedDevice(myDevice, key)) });
 * await db.open(); // EncryptionKeyError if the store was written under another key
 */
export function encryptedDevice(device: LogDevice, key: CryptoKey): LogDevice {
  const algorithm = key.algorithm as { name?: string };
  if (algorithm.name !== 'AES-GCM' || !key.usages.includes('encrypt') || !key.usages.includes('decrypt')) {
    throw new TypeError(`encryptionKey must be an AES-GCM CryptoKey with usages encrypt and decrypt (got ${algorithm.name ?? 'unknown'} for ${key.usages.join(', ')})`);
  }
  return new EncryptedDevice(device, key);
}

/**
 * The device a store without `encryptionKey` uses: `device` itself, except that opening an encrypted
 * store fails with a clear error instead of reading its files as damage.
 *
 * @example
 * const db = new Database({ storage: durableStorage(plainDevice(myDevice)) });
 * await db.open(); // EncryptionKeyError if the store was written with an encryptionKey
 */
export function plainDevice(device: LogDevice): LogDevice {
  return {
    location: device.location,
    async lock() {
      await device.lock();
      try {
        await refuseEncrypted(device);
      } catch (error) {
        await device.unlock().catch(() => undefined);
        throw error;
      }
    },
    unlock: () => device.unlock(),
    list: () => device.list(),
    read: (name) => device.read(name),
    openAppender: (name, options) => device.openAppender(name, options),
    writeAtomically: (name, chunks) => device.writeAtomically(name, chunks),
    truncate: (name, length) => device.truncate(name, length),
    rename: (from, to) => device.rename(from, to),
    remove: (name) => device.remove(name),
    ...(device.schedule ? { schedule: (task: () => void) => device.schedule!(task) } : {}),
  };
}

/** `encryptedDevice(device, key)` when a key is given, else `plainDevice(device)`: what storage adapters wrap their device in. */
export function deviceWithKey(device: LogDevice, key: CryptoKey | undefined): LogDevice {
  return key === undefined ? plainDevice(device) : encryptedDevice(device, key);
}

class EncryptedDevice implements LogDevice {
  readonly location: string;
  readonly schedule?: (task: () => void) => void;

  constructor(
    private readonly device: LogDevice,
    private readonly key: CryptoKey,
  ) {
    this.location = device.location;
    if (device.schedule) this.schedule = (task) => device.schedule!(task);
  }

  async lock(): Promise<void> {
    await this.device.lock();
    try {
      await checkKey(this.device, this.key);
    } catch (error) {
      await this.device.unlock().catch(() => undefined);
      throw error;
    }
  }

  unlock(): Promise<void> {
    return this.device.unlock();
  }

  async list(): Promise<string[]> {
    return (await this.device.list()).filter((name) => name !== KEY_CHECK_FILE);
  }

  async read(name: string): Promise<Uint8Array> {
    const raw = await this.device.read(name);
    const { frames, damage } = cipherFrames(raw);
    // Frames decrypt concurrently; the plaintext ends at the first one that does not authenticate.
    const opened = await Promise.all(frames.map((f) => open(this.key, raw, f.start, f.end, f.offset).catch(() => undefined)));
    const parts: Uint8Array[] = [];
    for (let i = 0; i < opened.length; i++) {
      const plaintext = opened[i];
      if (plaintext === undefined) {
        parts.push(damagedTail(raw.subarray(frames[i]!.offset), false));
        return concat(parts);
      }
      parts.push(plaintext);
    }
    if (damage !== undefined) parts.push(damagedTail(raw.subarray(damage.offset), damage.torn));
    return parts.length === 0 ? new Uint8Array(0) : concat(parts);
  }

  async openAppender(name: string, options?: { readonly durableWrites?: boolean }): Promise<LogAppender> {
    const inner = await this.device.openAppender(name, options);
    let offset = 0;
    // Appends are sealed and handed on in call order (each frame's offset is its additional data).
    let previous: Promise<void> = Promise.resolve();
    return {
      writesAreDurable: inner.writesAreDurable,
      append: (chunks) => {
        const at = offset;
        const plaintext = concat(chunks);
        // Known before sealing: 4 (length) + 12 (IV) + plaintext + 16 (tag).
        offset += plaintext.length + 32;
        const sealing = seal(this.key, plaintext, at);
        const appended = previous.then(async () => inner.append([await sealing]));
        previous = appended.catch(() => undefined);
        return appended;
      },
      sync: () => previous.then(() => inner.sync()),
      close: () => previous.then(() => inner.close()),
    };
  }

  writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const key = this.key;
    return this.device.writeAtomically(
      name,
      (async function* () {
        let offset = 0;
        for await (const chunk of chunks) {
          const sealed = await seal(key, chunk, offset);
          offset += sealed.length;
          yield sealed;
        }
      })(),
    );
  }

  /**
   * Cuts the plaintext to `length` bytes: whole frames before the cut stay as they are; a frame the cut
   * falls inside is replaced by a frame of its first part (the file is rewritten whole, atomically).
   */
  async truncate(name: string, length: number): Promise<void> {
    const raw = await this.device.read(name);
    const { frames } = cipherFrames(raw);
    let plainOffset = 0;
    for (const f of frames) {
      if (plainOffset >= length) return this.device.truncate(name, f.offset);
      const plaintext = await open(this.key, raw, f.start, f.end, f.offset).catch(() => undefined);
      // A frame that does not authenticate (read as damage) goes whole.
      if (plaintext === undefined) return this.device.truncate(name, f.offset);
      if (plainOffset + plaintext.length > length) {
        const sealed = await seal(this.key, plaintext.subarray(0, length - plainOffset), f.offset);
        const kept = raw.subarray(0, f.offset);
        return this.device.writeAtomically(
          name,
          (async function* () {
            yield kept;
            yield sealed;
          })(),
        );
      }
      plainOffset += plaintext.length;
    }
    // The cut is at (or past) the end of the intact frames: a torn or impossible tail after them goes.
    const end = frames[frames.length - 1]?.end ?? 0;
    if (end < raw.length) return this.device.truncate(name, end);
  }

  rename(from: string, to: string): Promise<void> {
    return this.device.rename(from, to);
  }

  remove(name: string): Promise<void> {
    return this.device.remove(name);
  }
}
