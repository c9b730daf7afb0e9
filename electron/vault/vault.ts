/**
 * Encrypted secret storage: each entry (an account's refresh token, a client secret) is
 * encrypted by the `SecretCipher` (safeStorage in Electron) and the whole file is replaced
 * atomically, 0600, in a versioned format. Entries may instead be kept in memory only for
 * this session, when the OS offers no real key store and the person did not accept weak storage.
 */
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../shared/atomic-file';
import { AppError } from '../shared/errors';
import type { SecretCipher } from '../shared/ports';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';

const FORMAT = 1;

type VaultFile = { format: typeof FORMAT; entries: Record<string, string> };

/** Any vault file at all: an object with a numeric format. Anything else is damaged. */
const vaultFrameSchema = z.looseObject({ format: z.number() });
/** The one format this version reads; another format is a newer version's, never "damaged". */
const vaultFileSchema = z.looseObject({ format: z.literal(FORMAT), entries: z.record(z.string(), z.string()) });

export type Storage = 'vault' | 'session-only';

export type Vault = {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, storage: Storage): Promise<void>;
  /**
   * Changes an entry that exists, where it is stored; resolves false and writes nothing when
   * there is none, so a late update (a token refresh finishing after removal) can never bring
   * back an entry that was deleted.
   */
  update(key: string, change: (previous: string) => string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes every entry, on disk and in memory (emergency sign-out). */
  wipe(): Promise<void>;
  storageOf(key: string): Storage | undefined;
  keys(): string[];
  /**
   * With a quarantine: entries that no longer decrypt (the OS key changed) are dropped from a
   * fresh file after the whole old file is moved aside and kept. Returns the dropped keys.
   */
  setAsideUnreadable(): Promise<string[]>;
};

/** Every `"key":"base64"` pair that is still whole in a damaged file. */
function salvageEntries(raw: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of raw.matchAll(/"((?:[^"\\]|\\.)*)":"([A-Za-z0-9+/=]*)"/g)) {
    try {
      const key: unknown = JSON.parse(`"${match[1]!}"`);
      if (typeof key === 'string' && key !== '__proto__') found[key] = match[2]!;
    } catch {
      // Not a whole key.
    }
  }
  return found;
}

export function createVault(options: { file: string; cipher: SecretCipher; quarantine?: Quarantine }): Vault {
  const { file, cipher, quarantine } = options;
  const session = new Map<string, string>();
  let entries: Record<string, string> | undefined;
  // Writes run one after another so two updates never overwrite each other.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };

  // One load at a time: a damaged file must be moved aside once, not once per caller.
  let loading: Promise<Record<string, string>> | undefined;
  function load(): Promise<Record<string, string>> {
    if (entries) return Promise.resolve(entries);
    loading ??= readAndParse().finally(() => (loading = undefined));
    return loading;
  }

  async function setAsideDamaged(raw: string, cause: unknown): Promise<Record<string, string>> {
    if (!quarantine)
      throw new AppError('vault.damaged', 'The token store is damaged.', {
        hint: 'Sign in to your accounts again.',
        cause,
      });
    const kept = salvageEntries(raw);
    const moved = await quarantine.moveAside(file, 'token store is not valid JSON');
    await save(kept);
    quarantine.report({
      level: 'warning',
      message:
        'The file holding your saved sign-ins was damaged. Accounts whose sign-in could not be recovered need you to sign in again.',
      hint: keptAs(moved),
    });
    return kept;
  }

  async function readAndParse(): Promise<Record<string, string>> {
    const raw = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (raw === null) return (entries = {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (cause) {
      return setAsideDamaged(raw, cause);
    }
    const framed = vaultFrameSchema.safeParse(parsed);
    if (!framed.success) return setAsideDamaged(raw, undefined);
    const current = vaultFileSchema.safeParse(parsed);
    if (!current.success) {
      throw new AppError(
        'vault.unknown_format',
        'The token store was written by a newer or unknown version of Quicksend.',
      );
    }
    return (entries = { ...current.data.entries });
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
        await serial(async () => {
          // Deleted meanwhile: re-sealing must not bring it back.
          const current = await load();
          if (current[key] === sealed) await save({ ...current, [key]: resealed });
        });
      }
      return plain;
    },
    update(key, change) {
      return serial(async () => {
        const inSession = session.get(key);
        if (inSession !== undefined) {
          session.set(key, change(inSession));
          return true;
        }
        const all = await load();
        const sealed = all[key];
        if (sealed === undefined) return false;
        let plain: string;
        try {
          ({ plain } = await cipher.decrypt(Buffer.from(sealed, 'base64')));
        } catch (cause) {
          throw new AppError(
            'vault.unreadable',
            'A saved sign-in can no longer be decrypted (the system key changed).',
            { hint: 'Sign in to this account again.', cause },
          );
        }
        const next = Buffer.from(await cipher.encrypt(change(plain))).toString('base64');
        await save({ ...all, [key]: next });
        return true;
      });
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
    setAsideUnreadable() {
      return serial(async () => {
        // A locked or missing key store is not damage: nothing is moved then.
        if (!quarantine || !(await cipher.isAvailable())) return [];
        const all = await load();
        const unreadable: string[] = [];
        for (const [key, sealed] of Object.entries(all)) {
          const readable = await cipher.decrypt(Buffer.from(sealed, 'base64')).then(
            () => true,
            () => false,
          );
          if (!readable) unreadable.push(key);
        }
        if (unreadable.length === 0) return [];
        const moved = await quarantine.moveAside(file, 'saved sign-ins no longer decrypt');
        await save(Object.fromEntries(Object.entries(all).filter(([key]) => !unreadable.includes(key))));
        quarantine.report({
          level: 'warning',
          message:
            'Quicksend can no longer unlock some saved sign-ins (the system key store changed). Sign in to those accounts again.',
          hint: keptAs(moved),
        });
        return unreadable;
      });
    },
  };
}
