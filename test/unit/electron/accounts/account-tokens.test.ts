/**
 * Account tokens: removal lets go of a grant at once while a refresh still runs, and that
 * refresh's late answer is revoked, never saved; an account signed in afresh meanwhile keeps its
 * new grant. The token store is real (vault file, AES-GCM); the provider's answers come from a
 * grants stand-in the test settles (the real grants are proved in oauth/grants.test.ts).
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createAccountStore, type AccountRecord } from '../../../../electron/accounts/account-store';
import { createAccountTokens } from '../../../../electron/accounts/account-tokens';
import { sandboxProvider } from '../../../../electron/accounts/providers';
import { createTokenStore } from '../../../../electron/accounts/token-store';
import type { Grants, RefreshResult } from '../../../../electron/oauth/grants';
import { AppError } from '../../../../electron/shared/errors';
import { createRedactor } from '../../../../electron/shared/logger';
import { createNodeCipher } from '../../../support/node-cipher';
import { createVault } from '../../../../electron/vault/vault';
import { deferred } from '../../../fakes/deferred';
import { memoryLogger } from '../../../fakes/logger';
import { createManualClock } from '../../../fakes/manual-clock';
import { createMemoryStore } from '../../../fakes/memory-store';
import { tempDataDir } from '../../../support/node-ports';

const provider = sandboxProvider({
  issuer: 'https://id.example.com',
  smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
  mailScope: 'mail',
});
const record: AccountRecord = {
  id: 'acc-1',
  providerId: provider.id,
  address: 'ada@example.com',
  fromAddress: 'ada@example.com',
  displayName: 'Ada',
  subject: 'sub-1',
  needsSignIn: false,
  lastUsedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
// An hour-long access token, from the manual clock's start.
const signIn = (refreshToken: string) => ({
  accessToken: `at-${refreshToken}`,
  refreshToken,
  expiresAt: createManualClock().now() + 3600_000,
  scope: 'openid mail',
});

function setup(options: { providerOf?: typeof provider } = {}) {
  const clock = createManualClock();
  const records = createAccountStore(createMemoryStore());
  const cipher = createNodeCipher();
  const tokenStore = createTokenStore({
    vault: createVault({ file: path.join(tempDataDir(), 'vault.json'), cipher }),
    cipher,
    weakStorageConsent: () => false,
    logger: memoryLogger().logger,
  });
  const answers: Array<ReturnType<typeof deferred<RefreshResult>>> = [];
  const revoked: string[] = [];
  const needsSignIn: Array<[string, string]> = [];
  const grants: Grants = {
    refresh: () => {
      const answer = deferred<RefreshResult>();
      answers.push(answer);
      return answer.promise;
    },
    revoke: async (_provider, refreshToken) => (revoked.push(refreshToken), 'revoked'),
  };
  const current = options.providerOf ?? provider;
  const tokens = createAccountTokens({
    records,
    tokenStore,
    grants,
    providers: { get: () => current, find: (id) => (id === current.id ? current : undefined) },
    accountList: { setRefreshing: () => {}, markNeedsSignIn: (id, reason) => void needsSignIn.push([id, reason]) },
    clock,
    logger: memoryLogger().logger,
    redactor: createRedactor(),
    keepAliveMs: 60_000,
    tokenWaitMs: 1_000,
    refreshSettleMs: 1_000,
  });
  return { clock, records, tokenStore, tokens, answers, revoked, needsSignIn };
}

/** A signed-in account whose refresh has reached the provider, its answer not given yet. */
async function refreshAskedOf(w: ReturnType<typeof setup>) {
  w.records.put(record);
  await w.tokens.keep(record.id, signIn('rt-1'));
  w.tokens.invalidate(record.id);
  const asked = w.tokens.source.getAccessToken(record.id).catch((error: unknown) => error);
  await expect.poll(() => w.answers.length).toBe(1);
  return { w, asked };
}

describe('account tokens', () => {
  test('removal during a refresh: released at once, the late rotated answer is revoked and not saved', async () => {
    const { w, asked } = await refreshAskedOf(setup());

    expect(await w.tokens.release(record)).toEqual({ provider, refreshToken: 'rt-1' });
    expect(await w.tokenStore.refreshToken(record.id)).toBeUndefined();

    w.answers[0]!.resolve({ accessToken: 'at-late', refreshToken: 'rt-late', expiresInSeconds: 3600 });
    expect(await asked).toMatchObject({ code: 'accounts.unknown' });
    await w.tokens.settled();
    expect(w.revoked).toEqual(['rt-late']);
    expect(await w.tokenStore.refreshToken(record.id)).toBeUndefined();
  });

  test('signed in afresh while an old refresh runs: the new grant is kept, the late answer is neither saved nor revoked', async () => {
    const { w } = await refreshAskedOf(setup());
    await w.tokens.release(record);
    await w.tokens.keep(record.id, signIn('rt-new'));

    w.answers[0]!.resolve({ accessToken: 'at-late', refreshToken: 'rt-late', expiresInSeconds: 3600 });
    await w.tokens.settled();
    expect(w.revoked).toEqual([]);
    expect(await w.tokenStore.refreshToken(record.id)).toBe('rt-new');
    expect(await w.tokens.source.getAccessToken(record.id)).toBe('at-rt-new');
  });

  test('a released grant is revoked where the provider offers it; without its token that is a failure', async () => {
    const w = setup();
    expect(await w.tokens.revokeReleased({ provider, refreshToken: 'rt-1' })).toBe('revoked');
    expect(
      await w.tokens.revokeReleased({ provider: { ...provider, supportsRevocation: false }, refreshToken: 'rt-2' }),
    ).toBe('not-supported');
    expect(await w.tokens.revokeReleased({ provider: undefined, refreshToken: 'rt-3' })).toBe('not-supported');
    expect(await w.tokens.revokeReleased({ provider, refreshToken: undefined })).toBe('failed');
    expect(w.revoked).toEqual(['rt-1']);
  });

  test('a refused grant marks the account as needing sign-in', async () => {
    const { w, asked } = await refreshAskedOf(setup());
    w.answers[0]!.reject(new AppError('auth.needs_sign_in', 'This account needs you to sign in again.'));
    expect(await asked).toMatchObject({ code: 'auth.needs_sign_in' });
    expect(w.needsSignIn).toEqual([[record.id, 'auth.needs_sign_in']]);
  });

  test('start: an account without a readable grant needs sign-in; one with a grant gets its keep-alive', async () => {
    const w = setup();
    w.records.put(record);
    w.records.put({ ...record, id: 'acc-2' });
    await w.tokenStore.save(record.id, { refreshToken: 'rt-1' });
    await w.tokens.start();
    expect(w.records.get('acc-2')?.needsSignIn).toBe(true);
    expect(w.records.get(record.id)?.needsSignIn).toBe(false);
    expect(w.clock.pending()).toHaveLength(1);
    w.clock.advance(60_000);
    // The keep-alive refresh asks the provider with the stored token.
    await expect.poll(() => w.answers.length).toBe(1);
  });
});
