/**
 * Sign-in attempts: a cancel wins at every stage up to the commit point, a newer attempt for
 * the same provider supersedes the older, and a grant obtained after a cancel is given back.
 * The browser sign-in itself (oauth/sign-in.ts, proved against the sandbox in
 * test/integration/accounts/cancel-sign-in.test.ts) is replaced by a handle the test drives.
 */
import * as client from 'openid-client';
import { describe, expect, test } from 'vitest';
import { sandboxProvider } from '../../../../electron/accounts/providers';
import { createSignInFlow } from '../../../../electron/accounts/sign-in-flow';
import { createSignInProgress } from '../../../../electron/accounts/sign-in-progress';
import type { ProviderDefinition } from '../../../../electron/oauth/provider-definition';
import type { SignInInput, SignInResult } from '../../../../electron/oauth/sign-in';
import { AppError } from '../../../../electron/shared/errors';
import { createEventBus } from '../../../../electron/ipc/event-bus';
import { createRedactor } from '../../../../electron/shared/logger';
import { memoryLogger } from '../../../fakes/logger';
import { deferred } from '../../../fakes/deferred';
import { createManualClock } from '../../../fakes/manual-clock';

const provider: ProviderDefinition = sandboxProvider({
  issuer: 'https://id.example.com',
  smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
  mailScope: 'mail',
});
const config = new client.Configuration(
  { issuer: provider.issuer, authorization_endpoint: `${provider.issuer}/auth` },
  'client-1',
);

const granted = (refreshToken: string): SignInResult => ({
  tokens: { accessToken: `at-${refreshToken}`, refreshToken, expiresAt: 0, scope: 'openid mail' },
  identity: { address: 'ada@example.com', name: 'Ada', subject: 'sub-1' },
});

/** A browser sign-in the test drives: it ends when the test says, and a cancel ends it unless the code is being exchanged. */
type FakeSignIn = {
  input: SignInInput;
  answer: ReturnType<typeof deferred<SignInResult>>;
  cancels: AppError[];
  exchanging: boolean;
};

function world(options: { discovery?: Promise<void> } = {}) {
  const events = createEventBus();
  const progress: Array<{ stage: string; message?: string | undefined }> = [];
  events.on('signin:progress', ({ stage, message }) => progress.push({ stage, ...(message ? { message } : {}) }));
  const revoked: string[] = [];
  const started: FakeSignIn[] = [];
  const flow = createSignInFlow({
    providers: {
      get: (id) => {
        if (id !== provider.id) throw new AppError('provider.unknown', 'Quicksend does not know that provider.');
        return provider;
      },
      configuration: async () => {
        await options.discovery;
        return config;
      },
    },
    grants: { revoke: async (_provider, refreshToken) => (revoked.push(refreshToken), 'revoked') },
    progress: createSignInProgress(events),
    browser: { open: async () => {} },
    clock: createManualClock(),
    redactor: createRedactor(),
    logger: memoryLogger().logger,
    timeoutMs: 60_000,
    startSignIn: (input) => {
      const fake: FakeSignIn = { input, answer: deferred<SignInResult>(), cancels: [], exchanging: false };
      started.push(fake);
      return {
        result: fake.answer.promise,
        cancel: (reason = new AppError('signin.cancelled', 'The sign-in was cancelled.')) => {
          fake.cancels.push(reason);
          if (!fake.exchanging) fake.answer.reject(reason);
        },
      };
    },
  });
  return { flow, progress, revoked, started };
}

const code = (error: unknown) => (error instanceof AppError ? error.code : String(error));

describe('a sign-in attempt', () => {
  test('a cancel while the provider is discovered wins: the browser sign-in never starts', async () => {
    const discovery = deferred<void>();
    const w = world({ discovery: discovery.promise });
    const commits: SignInResult[] = [];
    const running = w.flow.run(provider.id, undefined, async (result) => void commits.push(result)).catch(code);
    expect(w.flow.cancel(provider.id)).toBe(true);
    discovery.resolve();
    expect(await running).toBe('signin.cancelled');
    expect(w.started).toEqual([]);
    expect(commits).toEqual([]);
    expect(w.progress).toEqual([{ stage: 'cancelled', message: 'The sign-in was cancelled.' }]);
  });

  test('a cancel while the browser is open ends the sign-in there, with nothing to give back', async () => {
    const w = world();
    const running = w.flow.run(provider.id, 'ada@example.com', async () => 'saved').catch(code);
    await expect.poll(() => w.started.length).toBe(1);
    expect(w.started[0]!.input.loginHint).toBe('ada@example.com');
    expect(w.flow.cancel(provider.id)).toBe(true);
    expect(await running).toBe('signin.cancelled');
    expect(w.started[0]!.cancels.map(code)).toEqual(['signin.cancelled']);
    expect(w.revoked).toEqual([]);
  });

  test('a cancel while the code is exchanged gives the new grant back and saves nothing', async () => {
    const w = world();
    const commits: SignInResult[] = [];
    const running = w.flow.run(provider.id, undefined, async (result) => void commits.push(result)).catch(code);
    await expect.poll(() => w.started.length).toBe(1);
    w.started[0]!.exchanging = true;
    expect(w.flow.cancel(provider.id)).toBe(true);
    w.started[0]!.answer.resolve(granted('rt-granted'));
    expect(await running).toBe('signin.cancelled');
    expect(w.revoked).toEqual(['rt-granted']);
    expect(commits).toEqual([]);
    expect(w.progress.at(-1)).toEqual({ stage: 'cancelled', message: 'The sign-in was cancelled.' });
  });

  test('from the commit point a cancel comes too late: the account is saved and nothing is revoked', async () => {
    const w = world();
    const saving = deferred<string>();
    let committed: SignInResult | undefined;
    const running = w.flow.run(provider.id, undefined, async (result) => {
      committed = result;
      return saving.promise;
    });
    await expect.poll(() => w.started.length).toBe(1);
    w.started[0]!.answer.resolve(granted('rt-kept'));
    await expect.poll(() => committed).toBeDefined();
    expect(w.flow.cancel(provider.id)).toBe(false);
    saving.resolve('saved');
    expect(await running).toBe('saved');
    expect(w.revoked).toEqual([]);
    // Over: nothing is left to cancel.
    expect(w.flow.cancel(provider.id)).toBe(false);
  });

  test('a second add for the same provider supersedes the first, which ends quietly; a cancel then reaches the second', async () => {
    const w = world();
    const first = w.flow.run(provider.id, undefined, async () => 'first').catch(code);
    await expect.poll(() => w.started.length).toBe(1);
    const second = w.flow.run(provider.id, undefined, async () => 'second').catch(code);
    expect(await first).toBe('signin.superseded');
    // One event for the replacement; the superseded attempt reports no failure of its own.
    expect(w.progress).toEqual([{ stage: 'superseded', message: 'A newer sign-in replaced the earlier one.' }]);
    await expect.poll(() => w.started.length).toBe(2);
    expect(w.flow.cancel(provider.id)).toBe(true);
    expect(await second).toBe('signin.cancelled');
    expect(w.started[1]!.cancels.map(code)).toEqual(['signin.cancelled']);
  });

  test("a failed sign-in is reported in the sign-in's words, and the caller may explain it in its own", async () => {
    const w = world();
    const explain = (error: unknown) =>
      code(error) === 'signin.address_mismatch'
        ? new AppError('accounts.different_address', 'A different account.')
        : error;
    const running = w.flow.run(provider.id, 'ada@example.com', async () => 'saved', explain).catch(code);
    await expect.poll(() => w.started.length).toBe(1);
    w.started[0]!.answer.reject(
      new AppError('signin.address_mismatch', 'You signed in as bob@example.com, not ada@example.com.'),
    );
    expect(await running).toBe('accounts.different_address');
    expect(w.progress).toEqual([
      { stage: 'failed', message: 'You signed in as bob@example.com, not ada@example.com.' },
    ]);
  });

  test('an unknown provider fails before anything starts, and the failure is reported', async () => {
    const w = world();
    expect(await w.flow.run('nobody', undefined, async () => 'saved').catch(code)).toBe('provider.unknown');
    expect(w.started).toEqual([]);
    expect(w.progress).toEqual([{ stage: 'failed', message: 'Quicksend does not know that provider.' }]);
  });

  test('cancelAll ends every running sign-in', async () => {
    const w = world();
    const running = w.flow.run(provider.id, undefined, async () => 'saved').catch(code);
    await expect.poll(() => w.started.length).toBe(1);
    w.flow.cancelAll();
    expect(await running).toBe('signin.cancelled');
  });
});
