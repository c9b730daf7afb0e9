/** The `SecretCipher` port on Electron's safeStorage (the OS key store), async API of Electron 45. */
import { safeStorage } from 'electron';
import type { SecretCipher } from '../shared/ports';

export function createSafeStorageCipher(): SecretCipher {
  return {
    isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform),
    encrypt: async (plain) => new Uint8Array(await safeStorage.encryptStringAsync(plain)),
    decrypt: async (data) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(data));
      return { plain: result, shouldReEncrypt };
    },
  };
}
