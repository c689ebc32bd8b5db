/**
 * An encrypted store opened with the wrong key, an encrypted store opened without one, or a plain
 * store opened with one. Thrown by `db.open()` before anything is read or written, never garbage.
 *
 * @example
 * try {
 *   await db.open();
 * } catch (error) {
 *   if (error instanceof EncryptionKeyError) askForThePassphraseAgain();
 * }
 */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}
