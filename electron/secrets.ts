import { safeStorage } from 'electron';
import type { SecretBox } from '../core/host/credentials.js';

/**
 * API keys at rest are sealed with the OS keychain (Keychain, DPAPI, libsecret/kwallet). Where the OS offers
 * none (Linux without a secret service) safeStorage would fall back to a hard-coded key: we then do not pretend
 * to encrypt, and the keys stay as the user wrote them, with a line in the log saying so.
 */
export function secretBox(log: (line: string) => void): SecretBox | null {
  if (!safeStorage.isEncryptionAvailable()) {
    log('safeStorage is not available on this system: API keys in config.toml stay as written');
    return null;
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    log('no OS secret service found (safeStorage would use a fixed key): API keys in config.toml stay as written');
    return null;
  }
  return {
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
