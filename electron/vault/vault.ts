/**
 * Encrypted secret storage: each entry (an account's refresh token, a client secret) is
 * encrypted by the `SecretCipher` (safeStorage in Electron) and the whole file is replaced
 * atomically, 0600, in a versioned format. Entries may instead be kept in memory only for
 * this session, when the OS offers no real key store and the person did not accept weak storage.
 */
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../shared/atomic-file';
import { AppError } from '../shared/errors';
import type { SecretCipher } from '../shared/ports';

const FORMAT = 1;

type VaultFile = { format: typeof FORMAT; entries: Record<string, string> };

export type Storage = 'vault' | 'session-only';

export type Vault = {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, storage: Storage): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every entry, on disk and in memory (emergency sign-out). */
  wipe(): Promise<void>;
  storageOf(key: string): Storage | undefined;
  keys(): string[];
};

export function createVault(options: { file: string; cipher: SecretCipher }): Vault {
  const { file, cipher } = options;
  const session = new Map<string, string>();
  let entries: Record<string, string> | undefined;
  // Writes run one after another so two updates never overwrite each other.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };

  async function load(): Promise<Record<string, string>> {
    if (entries) return entries;
    const raw = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (raw === null) return (entries = {});
    let parsed: VaultFile;
    try {
      parsed = JSON.parse(raw) as VaultFile;
    } catch (cause) {
      throw new AppError('vault.damaged', 'The token store is damaged.', { hint: 'Sign in to your accounts again.', cause });
    }
    if (parsed.format !== FORMAT || typeof parsed.entries !== 'object' || parsed.entries === null) {
      throw new AppError('vault.unknown_format', 'The token store was written by a newer or unknown version of Quicksend.');
    }
    return (entries = { ...parsed.entries });
  }

  async function save(next: Record<string, string>): Promise<void> {
    await writeFileAtomic(file, JSON.stringify({ format: FORMAT, entries: next } satisfies VaultFile));
    entries = next;
  }

  return {
    async get(key) {
      if (session.has(key)) return session.get(key);
      const all = await load();
      const sealed = all[key];
      if (sealed === undefined) return undefined;
      let plain: string;
      let shouldReEncrypt: boolean;
      try {
        ({ plain, shouldReEncrypt } = await cipher.decrypt(Buffer.from(sealed, 'base64')));
      } catch (cause) {
        throw new AppError('vault.unreadable', 'A saved sign-in can no longer be decrypted (the system key changed).', {
          hint: 'Sign in to this account again.',
          cause,
        });
      }
      if (shouldReEncrypt) {
        const resealed = Buffer.from(await cipher.encrypt(plain)).toString('base64');
        await serial(async () => save({ ...(await load()), [key]: resealed }));
      }
      return plain;
    },
    set(key, value, storage) {
      return serial(async () => {
        if (storage === 'session-only') {
          session.set(key, value);
          const all = await load();
          if (key in all) {
            const { [key]: _dropped, ...rest } = all;
            await save(rest);
          }
          return;
        }
        const sealed = Buffer.from(await cipher.encrypt(value)).toString('base64');
        session.delete(key);
        await save({ ...(await load()), [key]: sealed });
      });
    },
    delete(key) {
      return serial(async () => {
        session.delete(key);
        const all = await load();
        if (!(key in all)) return;
        const { [key]: _dropped, ...rest } = all;
        await save(rest);
      });
    },
    wipe() {
      return serial(async () => {
        session.clear();
        entries = {};
        await rm(file, { force: true });
      });
    },
    storageOf(key) {
      if (session.has(key)) return 'session-only';
      return entries && key in entries ? 'vault' : undefined;
    },
    keys() {
      return [...new Set([...session.keys(), ...Object.keys(entries ?? {})])];
    },
  };
}
