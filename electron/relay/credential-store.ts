/**
 * Per-program credentials for the relay. Quicksend makes the username and a 256-bit random
 * password, hands the password out once, and keeps only HMAC-SHA-256 of it under a key that
 * the data key seals (a long random password needs no slow hash: nothing can be guessed).
 * Checks compare in constant time and hash something even for unknown usernames. Use counts,
 * last-used times and the sends of the last hour (the per-credential limit) survive restarts.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../shared/atomic-file';
import type { DataKey } from '../vault/data-key';

const FORMAT = 1;
const HOUR_MS = 60 * 60 * 1000;

const storedSchema = z
  .object({
    id: z.string().min(1).max(64),
    username: z.string().min(1).max(64),
    programName: z.string().max(100),
    accountId: z.string().min(1).max(128),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    messageCount: z.number().int().min(0),
    sendLimitPerHour: z.number().int().min(1),
    rewriteFrom: z.boolean(),
    /** HMAC-SHA-256 of the password, base64. */
    hash: z.string(),
    /** When messages were accepted in the last hour (ms), for the per-credential limit. */
    recentSends: z.array(z.number()),
  })
  .strict();
const fileSchema = z
  .object({ format: z.literal(FORMAT), key: z.string(), credentials: z.array(storedSchema) })
  .strict();

export type StoredCredential = z.output<typeof storedSchema>;
/** What may be shown about a credential: everything but its hash. */
export type CredentialInfo = Omit<StoredCredential, 'hash' | 'recentSends'>;
export type NewCredential = { programName: string; accountId: string; rewriteFrom: boolean; sendLimitPerHour: number };

export type CredentialStore = {
  list(): CredentialInfo[];
  get(id: string): CredentialInfo | undefined;
  /** Creates one; the password is in the answer and nowhere else, ever. */
  create(input: NewCredential): Promise<{ credential: CredentialInfo; username: string; password: string }>;
  update(
    id: string,
    patch: Partial<Pick<StoredCredential, 'programName' | 'sendLimitPerHour' | 'rewriteFrom'>>,
  ): Promise<CredentialInfo | undefined>;
  revoke(id: string): Promise<boolean>;
  /** Revokes every credential of an account (the account was removed); answers how many. */
  revokeForAccount(accountId: string): Promise<number>;
  /** The credential these exact username and password belong to, or null. Constant time per check. */
  verify(username: string, password: string): CredentialInfo | null;
  /** Whether `username` names a credential (for the failure throttle's buckets). */
  knows(username: string): boolean;
  /** Messages accepted for the credential in the hour before `now`. */
  sentInLastHour(id: string, now: number): number;
  /** A successful sign-in (last used). Saved in the background. */
  recordSignIn(id: string, now: number): void;
  /** An accepted message (count, last used, hourly window). Saved in the background. */
  recordSend(id: string, now: number): void;
  /** Resolves once every background save finished (tests, shutdown). */
  flush(): Promise<void>;
};

function toInfo(stored: StoredCredential): CredentialInfo {
  const { hash: _hash, recentSends: _recent, ...info } = stored;
  return { ...info };
}

/** `qs-` and 10 random characters from an alphabet without look-alikes (about 50 bits; not secret). */
function newUsername(taken: (name: string) => boolean): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  for (;;) {
    const name = `qs-${[...randomBytes(10)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
    if (!taken(name)) return name;
  }
}

/**
 * Opens the store at `file` (created on first save). A file that does not parse, or whose key
 * no longer opens with this data key, is reported through `onDamaged` and started afresh.
 */
export async function openCredentialStore(options: {
  file: string;
  dataKey: DataKey;
  now(): number;
  onDamaged?(reason: string): Promise<void>;
}): Promise<CredentialStore> {
  const { file, dataKey } = options;
  let key: Buffer | null = null;
  let credentials: StoredCredential[] = [];

  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text !== null) {
    try {
      const parsed = fileSchema.parse(JSON.parse(text));
      key = dataKey.open(Buffer.from(parsed.key, 'base64'));
      if (key.length !== 32) throw new Error('not an HMAC key');
      credentials = parsed.credentials;
    } catch {
      key = null;
      credentials = [];
      await options.onDamaged?.('the saved program sign-ins could not be read');
    }
  }
  key ??= randomBytes(32);
  const hmacKey = key;
  const hash = (password: string) => createHmac('sha256', hmacKey).update(password, 'utf8').digest();
  // Compared against when the username is unknown, so both paths cost one HMAC and one compare.
  const decoy = hash(randomBytes(32).toString('base64url'));

  // Saves coalesce: one write in flight and at most one more queued, so a burst of messages
  // costs two writes, not one per message.
  let writing: Promise<void> | null = null;
  let again = false;
  const serialise = () =>
    JSON.stringify(
      { format: FORMAT, key: Buffer.from(dataKey.seal(hmacKey)).toString('base64'), credentials },
      undefined,
      1,
    );
  const save = (): Promise<void> => {
    if (writing) {
      again = true;
      return writing;
    }
    writing = (async () => {
      try {
        do {
          again = false;
          await writeFileAtomic(file, serialise());
        } while (again);
      } finally {
        writing = null;
      }
    })();
    return writing;
  };
  const background = () => void save().catch(() => {});
  const find = (id: string) => credentials.find((c) => c.id === id);
  const prune = (stored: StoredCredential, now: number) => {
    stored.recentSends = stored.recentSends.filter((at) => at > now - HOUR_MS && at <= now);
  };

  return {
    list: () => credentials.map(toInfo),
    get: (id) => {
      const stored = find(id);
      return stored ? toInfo(stored) : undefined;
    },
    async create(input) {
      const username = newUsername((name) => credentials.some((c) => c.username === name));
      const password = randomBytes(32).toString('base64url');
      const stored: StoredCredential = {
        id: randomUUID(),
        username,
        programName: input.programName,
        accountId: input.accountId,
        createdAt: new Date(options.now()).toISOString(),
        lastUsedAt: null,
        messageCount: 0,
        sendLimitPerHour: input.sendLimitPerHour,
        rewriteFrom: input.rewriteFrom,
        hash: hash(password).toString('base64'),
        recentSends: [],
      };
      credentials = [...credentials, stored];
      try {
        await save();
      } catch (error) {
        credentials = credentials.filter((c) => c !== stored);
        throw error;
      }
      return { credential: toInfo(stored), username, password };
    },
    async update(id, patch) {
      const stored = find(id);
      if (!stored) return undefined;
      Object.assign(stored, patch);
      await save();
      return toInfo(stored);
    },
    async revoke(id) {
      const before = credentials.length;
      credentials = credentials.filter((c) => c.id !== id);
      if (credentials.length === before) return false;
      await save();
      return true;
    },
    async revokeForAccount(accountId) {
      const before = credentials.length;
      credentials = credentials.filter((c) => c.accountId !== accountId);
      const removed = before - credentials.length;
      if (removed > 0) await save();
      return removed;
    },
    verify(username, password) {
      const stored = credentials.find((c) => c.username === username);
      const given = hash(password);
      const expected = stored ? Buffer.from(stored.hash, 'base64') : decoy;
      const same = expected.length === given.length && timingSafeEqual(expected, given);
      return stored && same ? toInfo(stored) : null;
    },
    knows: (username) => credentials.some((c) => c.username === username),
    sentInLastHour(id, now) {
      const stored = find(id);
      if (!stored) return 0;
      return stored.recentSends.filter((at) => at > now - HOUR_MS && at <= now).length;
    },
    recordSignIn(id, now) {
      const stored = find(id);
      if (!stored) return;
      stored.lastUsedAt = new Date(now).toISOString();
      background();
    },
    recordSend(id, now) {
      const stored = find(id);
      if (!stored) return;
      prune(stored, now);
      stored.recentSends.push(now);
      stored.messageCount += 1;
      stored.lastUsedAt = new Date(now).toISOString();
      background();
    },
    async flush() {
      while (writing) await writing.catch(() => {});
    },
  };
}
