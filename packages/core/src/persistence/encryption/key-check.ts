import { equalBytes } from '../../model/equal-values.js';
import { storeFiles } from '../files.js';
import type { LogDevice } from '../log-device.js';
import { KEY_CHECK_DATA, cipherFrames, open, seal } from './cipher-frame.js';
import { EncryptionKeyError } from './encryption-key-error.js';

/**
 * The key-check file: written (encrypted) when an encrypted store is created, read back on every
 * open, so a wrong key fails at once with a clear error instead of reading as damage. Its name matches
 * no log segment or snapshot: recovery and a plain device ignore it.
 */
export const KEY_CHECK_FILE = 'ENCRYPTION';

const CHECK_TEXT = new TextEncoder().encode('magneto encrypted store, AES-GCM, v1');

/** Verifies `key` against the store's key-check file, writing one when the store is new. */
export async function checkKey(device: LogDevice, key: CryptoKey): Promise<void> {
  const names = await device.list();
  if (!names.includes(KEY_CHECK_FILE)) {
    const { segments, snapshots } = storeFiles(names);
    if (segments.length > 0 || snapshots.length > 0) {
      throw new EncryptionKeyError(`${device.location} holds a store written without encryption: open it without encryptionKey`);
    }
    const sealed = await seal(key, CHECK_TEXT, 0, KEY_CHECK_DATA);
    await device.writeAtomically(KEY_CHECK_FILE, (async function* () {
      yield sealed;
    })());
    return;
  }
  const bytes = await device.read(KEY_CHECK_FILE);
  const frame = cipherFrames(bytes).frames[0];
  let text: Uint8Array | undefined;
  if (frame !== undefined) text = await open(key, bytes, frame.start, frame.end, 0, KEY_CHECK_DATA).catch(() => undefined);
  if (text === undefined || !equalBytes(text, CHECK_TEXT)) throw new EncryptionKeyError(`wrong encryption key for ${device.location}`);
}

/** Refuses an encrypted store opened without a key (its files would read as damage). */
export async function refuseEncrypted(device: LogDevice): Promise<void> {
  if ((await device.list()).includes(KEY_CHECK_FILE)) {
    throw new EncryptionKeyError(`${device.location} holds an encrypted store: open it with its encryptionKey`);
  }
}


