export { encryptedDevice, plainDevice, deviceWithKey } from './encrypted-device.js';
export { EncryptionKeyError } from './encryption-key-error.js';
