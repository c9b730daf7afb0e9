import * as client from 'openid-client';
import { describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../electron/shared/errors';
import { createRedactor } from '../../../../electron/shared/logger';
import {
  createTokenManager,
  refreshMarginMs,
  type RefreshResult,
  type TokenManagerDeps,
} from '../../../../electron/oauth/token-manager';
import { deferred } from '../../../fakes/deferred';
import { createManualClock } from '../../../fakes/manual-clock';
import { memoryLogger } from '../../../fakes/logger';

function setup(refresh: (rt: string) => Promise<RefreshResult>, overrides: Partial<TokenManagerDeps> = {}) {
  const clock = createManualClock();
  const stored = new Map<string, string>([['acc', 'rt-1']]);
  const needsSignIn: string[] = [];
  const order: string[] = [];
  const manager = createTokenManager({
    clock,
    logger: memoryLogger().logger,
    redactor: createRedactor(),
    loadRefreshToken: async (id) => stored.get(id),
    saveRefreshToken: async (id, rt) => {
      order.push(`save ${rt}`);
      if (!stored.has(id)) return false;
      stored.set(id, rt);
      return true;
    },
    refresh: async (_id, rt) => refresh(rt),
    onNeedsSignIn: async (id) => void needsSignIn.push(id),
    ...overrides,
  });
  return { clock, stored, needsSignIn, order, manager };
}

/** Whether a promise has settled, without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  return settled;
}

const invalidGrant = () => {
  const response = new Response('{}', { status: 400 });
  return new client.ResponseBodyError('server responded with an error in the response body', {
    cause: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    response,
  } as never);
};

describe('token manager', () => {
  test('the early-refresh margin is a tenth of the lifetime, at most 60 s and at least 5 s', () => {
    expect(refreshMarginMs(3600_000)).toBe(60_000);
    expect(refreshMarginMs(600_000)).toBe(60_000);
    expect(refreshMarginMs(300_000)).toBe(30_000);
    expect(refreshMarginMs(60_000)).toBe(6_000);
    expect(refreshMarginMs(30_000)).toBe(5_000);
    expect(refreshMarginMs(2_000)).toBe(5_000);
  });

  test('a 60-second token is reused for 54 s, not refreshed on every call', async () => {
    let n = 0;
    const { manager, clock } = setup(async () => ({ accessToken: `at-${++n}`, expiresInSeconds: 60 }));
    expect(await manager.getAccessToken('acc')).toBe('at-1');
    clock.advance(53_000);
    expect(await manager.getAccessToken('acc')).toBe('at-1');
    clock.advance(1_500);
    expect(await manager.getAccessToken('acc')).toBe('at-2');
  });

  test('a seeded sign-in token gets the same margin from its remaining life', async () => {
    const refresh = vi.fn(async () => ({ accessToken: 'refreshed', expiresInSeconds: 60 }));
    const { manager, clock } = setup(refresh);
    manager.seed('acc', 'seeded', clock.now() + 60_000);
    clock.advance(50_000);
    expect(await manager.getAccessToken('acc')).toBe('seeded');
    expect(refresh).not.toHaveBeenCalled();
  });

  test('tokens of 5 s or less are never reused', async () => {
    let n = 0;
    const { manager } = setup(async () => ({ accessToken: `at-${++n}`, expiresInSeconds: 4 }));
    expect(await manager.getAccessToken('acc')).toBe('at-1');
    expect(await manager.getAccessToken('acc')).toBe('at-2');
  });

  test('uses the cached token while more than a minute remains, then refreshes once', async () => {
    let n = 0;
    const { manager, clock } = setup(async () => ({ accessToken: `at-${++n}`, expiresInSeconds: 3600 }));
    expect(await manager.getAccessToken('acc')).toBe('at-1');
    clock.advance(3600_000 - 61_000);
    expect(await manager.getAccessToken('acc')).toBe('at-1');
    clock.advance(2_000);
    expect(await manager.getAccessToken('acc')).toBe('at-2');
  });

  test('concurrent callers share one refresh', async () => {
    const refresh = vi.fn(async () => ({ accessToken: 'at', expiresInSeconds: 3600 }));
    const { manager } = setup(refresh);
    const all = await Promise.all(Array.from({ length: 50 }, () => manager.getAccessToken('acc')));
    expect(new Set(all)).toEqual(new Set(['at']));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  test('a rotated refresh token is saved before the access token is handed out', async () => {
    const { manager, stored, order } = setup(async () => {
      order.push('refreshed');
      return { accessToken: 'at', refreshToken: 'rt-2', expiresInSeconds: 3600 };
    });
    const token = manager.getAccessToken('acc').then((t) => (order.push('handed out'), t));
    expect(await token).toBe('at');
    expect(order).toEqual(['refreshed', 'save rt-2', 'handed out']);
    expect(stored.get('acc')).toBe('rt-2');
  });

  test('when the rotated token cannot be saved, no access token is handed out', async () => {
    const { manager } = setup(async () => ({ accessToken: 'at', refreshToken: 'rt-2' }), {
      saveRefreshToken: async () => {
        throw new Error('disk full');
      },
    });
    await expect(manager.getAccessToken('acc')).rejects.toThrow('disk full');
  });

  test('invalid_grant moves the account to needs-sign-in with a typed error', async () => {
    const { manager, needsSignIn } = setup(async () => {
      throw invalidGrant();
    });
    await expect(manager.getAccessToken('acc')).rejects.toMatchObject({ code: 'auth.needs_sign_in' });
    expect(needsSignIn).toEqual(['acc']);
  });

  test('network failures are transient and do not touch the account', async () => {
    const { manager, needsSignIn } = setup(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(manager.getAccessToken('acc')).rejects.toMatchObject({ code: 'auth.transient' });
    expect(needsSignIn).toEqual([]);
  });

  test('an account without a refresh token needs sign-in', async () => {
    const { manager, stored, needsSignIn } = setup(async () => ({ accessToken: 'x' }));
    stored.clear();
    await expect(manager.getAccessToken('acc')).rejects.toBeInstanceOf(AppError);
    expect(needsSignIn).toEqual(['acc']);
  });

  test('keep-alive refreshes days apart and stops on dispose', async () => {
    const refresh = vi.fn(async () => ({ accessToken: 'at', expiresInSeconds: 3600 }));
    const { manager, clock } = setup(refresh, { keepAliveMs: 3 * 24 * 3600_000 });
    manager.keepAlive('acc');
    clock.advance(3 * 24 * 3600_000);
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(clock.pending()).toHaveLength(1), { timeout: 10_000 });
    clock.advance(3 * 24 * 3600_000);
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(2), { timeout: 10_000 });
    manager.dispose();
    expect(clock.pending()).toEqual([]);
  });

  test('clock jumps: forward refreshes at once; back keeps the token until the server refuses it', async () => {
    let n = 0;
    const { manager, clock } = setup(async () => ({ accessToken: `at-${++n}`, expiresInSeconds: 3600 }));
    expect(await manager.getAccessToken('acc')).toBe('at-1');
    clock.jump(2 * 3600_000);
    expect(await manager.getAccessToken('acc')).toBe('at-2');
    clock.jump(-5 * 3600_000);
    // Looks valid for hours now; a 535 from the server invalidates it and the next call refreshes.
    expect(await manager.getAccessToken('acc')).toBe('at-2');
    manager.invalidate('acc');
    expect(await manager.getAccessToken('acc')).toBe('at-3');
  });

  test('a caller that cannot wait gets auth.transient; the refresh runs on, later callers join it, its answer is saved', async () => {
    const answer = deferred<RefreshResult>();
    const refresh = vi.fn(() => answer.promise);
    const { manager, clock, stored, needsSignIn } = setup(refresh, { callerWaitMs: 200 });
    const first = manager.getAccessToken('acc');
    clock.advance(200);
    await expect(first).rejects.toMatchObject({ code: 'auth.transient' });
    const later = manager.getAccessToken('acc');
    expect(refresh).toHaveBeenCalledTimes(1);
    answer.resolve({ accessToken: 'at', refreshToken: 'rt-2', expiresInSeconds: 3600 });
    expect(await later).toBe('at');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(stored.get('acc')).toBe('rt-2');
    expect(needsSignIn).toEqual([]);
  });

  test('an answer nobody waits for any more is still saved and cached', async () => {
    const answer = deferred<RefreshResult>();
    const refresh = vi.fn(() => answer.promise);
    const { manager, clock, stored } = setup(refresh, { callerWaitMs: 200 });
    const first = manager.getAccessToken('acc');
    clock.advance(200);
    await expect(first).rejects.toMatchObject({ code: 'auth.transient' });
    answer.resolve({ accessToken: 'late', refreshToken: 'rt-2', expiresInSeconds: 3600 });
    await manager.settled('acc');
    expect(stored.get('acc')).toBe('rt-2');
    expect(await manager.getAccessToken('acc')).toBe('late');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  test('dispose waits for a running refresh to save its answer', async () => {
    const answer = deferred<RefreshResult>();
    const { manager, stored } = setup(() => answer.promise);
    const pending = manager.getAccessToken('acc');
    const disposed = manager.dispose();
    expect(await isSettled(disposed)).toBe(false);
    answer.resolve({ accessToken: 'at', refreshToken: 'rt-2', expiresInSeconds: 3600 });
    await disposed;
    expect(stored.get('acc')).toBe('rt-2');
    expect(await pending).toBe('at');
  });

  test('dispose waits no longer than disposeWaitMs for a refresh that never answers', async () => {
    const { manager, clock } = setup(() => new Promise<RefreshResult>(() => {}), {
      disposeWaitMs: 1_000,
      callerWaitMs: 60_000,
    });
    void manager.getAccessToken('acc').catch(() => {});
    const disposed = manager.dispose();
    clock.advance(999);
    expect(await isSettled(disposed)).toBe(false);
    clock.advance(1);
    await disposed;
  });

  test('a late answer for an account signed in again or removed meanwhile saves nothing', async () => {
    const answer = deferred<RefreshResult>();
    const { manager, stored, order } = setup(() => answer.promise);
    const pending = manager.getAccessToken('acc');
    // A fresh sign-in stored its own refresh token and seeded its access token.
    stored.set('acc', 'rt-new-sign-in');
    manager.seed('acc', 'at-new', Date.UTC(2026, 0, 1) + 3600_000);
    answer.resolve({ accessToken: 'at-old-grant', refreshToken: 'rt-old-grant-rotated', expiresInSeconds: 3600 });
    await pending;
    expect(stored.get('acc')).toBe('rt-new-sign-in');
    expect(order).toEqual([]);
    expect(await manager.getAccessToken('acc')).toBe('at-new');
  });

  test('a late answer for a removed account is handed to onOrphanedAnswer, never saved, and callers are told', async () => {
    const answer = deferred<RefreshResult>();
    const orphans: Array<[string, string | undefined]> = [];
    const { manager, stored, order } = setup(() => answer.promise, {
      onOrphanedAnswer: async (id, result) => void orphans.push([id, result.refreshToken]),
    });
    const pending = manager.getAccessToken('acc');
    // Removal: the manager forgets the account, the vault entry goes.
    manager.forget('acc');
    stored.delete('acc');
    answer.resolve({ accessToken: 'at-late', refreshToken: 'rt-late', expiresInSeconds: 3600 });
    await expect(pending).rejects.toMatchObject({ code: 'accounts.unknown' });
    expect(stored.has('acc')).toBe(false);
    expect(order).toEqual([]);
    expect(orphans).toEqual([['acc', 'rt-late']]);
  });

  test('a vault entry deleted without forget (a race inside removal) is not brought back by the save', async () => {
    const answer = deferred<RefreshResult>();
    const orphans: string[] = [];
    const { manager, stored } = setup(() => answer.promise, { onOrphanedAnswer: async (id) => void orphans.push(id) });
    const pending = manager.getAccessToken('acc');
    stored.delete('acc');
    answer.resolve({ accessToken: 'at-late', refreshToken: 'rt-late', expiresInSeconds: 3600 });
    await expect(pending).rejects.toMatchObject({ code: 'accounts.unknown' });
    expect(stored.has('acc')).toBe(false);
    expect(orphans).toEqual(['acc']);
  });

  test("after an answer was lost, only the provider's invalid_grant puts the account in needs-sign-in", async () => {
    let call = 0;
    const { manager, needsSignIn } = setup(async () => {
      call += 1;
      if (call === 1) throw Object.assign(new Error('This operation was aborted'), { name: 'TimeoutError' });
      throw invalidGrant();
    });
    await expect(manager.getAccessToken('acc')).rejects.toMatchObject({ code: 'auth.transient' });
    expect(needsSignIn).toEqual([]);
    await expect(manager.getAccessToken('acc')).rejects.toMatchObject({ code: 'auth.needs_sign_in' });
    expect(needsSignIn).toEqual(['acc']);
  });
});
