/**
 * An account's grant at rest: the stored token record (refresh token and granted scope) in the
 * vault under `account:<id>`, read back through a zod schema, and the storage policy that
 * decides whether a new secret may go to disk at all. Nothing else in accounts/ touches the
 * vault's account entries, so the record's shape and the policy live in one place.
 */
import { z } from 'zod';
import type { Logger } from '../shared/logger';
import type { SecretCipher } from '../shared/ports';
import type { Storage, Vault } from '../vault/vault';

// Loose: fields a newer version adds survive this version's rotation of the refresh token.
const storedTokenSchema = z.looseObject({
  refreshToken: z.string().min(1),
  /** What the provider granted, as it said at sign-in. */
  scope: z.string().optional(),
});

/** The record kept for an account's grant. */
export type StoredToken = { refreshToken: string; scope?: string | undefined };

export type TokenStoreDeps = {
  vault: Vault;
  cipher: SecretCipher;
  /** Whether the person accepted tokens on disk under Linux's `basic_text` backend. */
  weakStorageConsent(): boolean;
  logger: Logger;
};

const keyOf = (accountId: string) => `account:${accountId}`;

/** Builds the token store over the vault; the only reader and writer of `account:<id>` entries. */
export function createTokenStore(deps: TokenStoreDeps) {
  const log = deps.logger.child('token-store');

  function parse(accountId: string, text: string) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = storedTokenSchema.safeParse(json);
    if (!parsed.success) log.warn('a stored grant cannot be read', { accountId });
    return parsed.success ? parsed.data : undefined;
  }

  const store = {
    /**
     * Where a new secret may be kept: in memory only when the OS offers no key store, or only
     * the `basic_text` one and the person did not accept that; otherwise the vault.
     */
    async storageForNewSecrets(): Promise<Storage> {
      if (!(await deps.cipher.isAvailable())) return 'session-only';
      if (deps.cipher.backend() === 'basic_text' && !deps.weakStorageConsent()) return 'session-only';
      return 'vault';
    },
    /** Stores a fresh sign-in's grant, where the policy allows. */
    async save(accountId: string, token: StoredToken): Promise<void> {
      await deps.vault.set(keyOf(accountId), JSON.stringify(token), await store.storageForNewSecrets());
    },
    /** The stored refresh token; undefined when there is none or its record cannot be read. */
    async refreshToken(accountId: string): Promise<string | undefined> {
      const text = await deps.vault.get(keyOf(accountId));
      return text === undefined ? undefined : parse(accountId, text)?.refreshToken;
    },
    /**
     * Replaces the refresh token of a record that exists; false when there is none. An update,
     * never a create: a refresh that ends after removal must not bring the entry back.
     */
    replaceRefreshToken(accountId: string, refreshToken: string): Promise<boolean> {
      return deps.vault.update(keyOf(accountId), (previous) =>
        JSON.stringify({ ...parse(accountId, previous), refreshToken }),
      );
    },
    /** Deletes the account's record and returns its refresh token (undefined when unreadable), for revocation. */
    async take(accountId: string): Promise<string | undefined> {
      const text = await deps.vault.get(keyOf(accountId)).catch(() => undefined);
      await deps.vault.delete(keyOf(accountId));
      return text === undefined ? undefined : parse(accountId, text)?.refreshToken;
    },
    /** Where the account's record is kept; undefined when there is none. */
    storageOf: (accountId: string): Storage | undefined => deps.vault.storageOf(keyOf(accountId)),
    /** Deletes every secret in the vault, client secrets too (emergency sign-out). */
    wipeAll: () => deps.vault.wipe(),
  };
  return store;
}

/** Account grants at rest and the policy for new secrets. */
export type TokenStore = ReturnType<typeof createTokenStore>;
