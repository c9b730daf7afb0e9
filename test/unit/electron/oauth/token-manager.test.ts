import * as client from 'openid-client';
import { describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../electron/shared/errors';
import { createRedactor } from '../../../../electron/shared/logger';
import { createTokenManager, type RefreshResult, type TokenManagerDeps } from '../../../../electron/oauth/token-manager';
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
      stored.set(id, rt);
    },
    refresh: async (_id, rt) => refresh(rt),
    onNeedsSignIn: async (id) => void needsSignIn.push(id),
    ...overrides,
  });
  return { clock, stored, needsSignIn, order, manager };
}

const invalidGrant = () => {
  const response = new Response('{}', { status: 400 });
  return new client.ResponseBodyError('server responded with an error in the response body', {
    cause: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    response,
  } as never);
};

describe('token manager', () => {
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
});
