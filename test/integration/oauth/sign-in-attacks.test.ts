/**
 * Attack and failure cases of the browser sign-in. Each must end in a typed error with no
 * account and no token left behind, and the loopback port closed.
 */
import { afterEach, expect, test } from 'vitest';
import { completeLogin } from '../../support/sandbox/browser-login';
import { openAccountsWorld, vaultEntryKeys, type AccountsWorld } from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const redirectOf = (authUrl: string) => new URL(new URL(authUrl).searchParams.get('redirect_uri')!);
const stateOf = (authUrl: string) => new URL(authUrl).searchParams.get('state')!;

async function portClosed(url: URL): Promise<boolean> {
  return fetch(url).then(
    () => false,
    () => true,
  );
}

async function nothingLeftBehind(w: AccountsWorld): Promise<void> {
  expect(await w.call('accounts:list')).toEqual({ ok: true, value: [] });
  expect(vaultEntryKeys(w.ports.paths.dataDir)).toEqual([]);
}

async function addExpectingError(w: AccountsWorld, code: string): Promise<void> {
  const result = await w.call('accounts:add', { providerId: 'sandbox' });
  expect(result).toMatchObject({ ok: false, error: { code } });
  await nothingLeftBehind(w);
  const opened = w.browser.opened.at(-1);
  if (opened) expect(await portClosed(redirectOf(opened))).toBe(true);
}

test('a callback with the wrong state is refused', async () => {
  world = await openAccountsWorld();
  world.browser.script = async (url) => {
    const callback = new URL(await completeLogin(url, 'demo@quicksend.test'));
    callback.searchParams.set('state', 'attacker-state');
    await fetch(callback);
  };
  await addExpectingError(world, 'signin.state_mismatch');
});

test('a callback without state is refused', async () => {
  world = await openAccountsWorld();
  world.browser.script = async (url) => {
    const callback = new URL(await completeLogin(url, 'demo@quicksend.test'));
    callback.searchParams.delete('state');
    await fetch(callback);
  };
  await addExpectingError(world, 'signin.state_mismatch');
});

test('error=access_denied from the provider ends in signin.denied', async () => {
  world = await openAccountsWorld();
  world.browser.script = async (url) => {
    const callback = redirectOf(url);
    callback.search = new URLSearchParams({
      error: 'access_denied',
      state: stateOf(url),
      iss: world!.sandbox.issuer,
    }).toString();
    await fetch(callback);
  };
  await addExpectingError(world, 'signin.denied');
});

test('other paths and methods are refused without disturbing the sign-in, which then completes', async () => {
  world = await openAccountsWorld();
  const answers: number[] = [];
  world.browser.script = async (url) => {
    const redirect = redirectOf(url);
    answers.push((await fetch(new URL('/other', redirect))).status);
    answers.push((await fetch(redirect, { method: 'POST', body: 'code=x' })).status);
    answers.push((await fetch(new URL('/callback/', redirect))).status);
    await completeLogin(url, 'demo@quicksend.test', { visitCallback: true });
  };
  const result = await world.call('accounts:add', { providerId: 'sandbox' });
  expect(result).toMatchObject({ ok: true, value: { address: 'demo@quicksend.test' } });
  expect(answers).toEqual([404, 405, 404]);
});

test('a second callback after success finds the port closed', async () => {
  world = await openAccountsWorld();
  let callback: string | undefined;
  world.browser.script = async (url) => {
    callback = await completeLogin(url, 'demo@quicksend.test');
    await fetch(callback);
  };
  expect(await world.call('accounts:add', { providerId: 'sandbox' })).toMatchObject({ ok: true });
  expect(await portClosed(new URL(callback!))).toBe(true);
});

test('an iss from a different provider (mix-up) is refused', async () => {
  world = await openAccountsWorld();
  world.browser.script = async (url) => {
    const callback = new URL(await completeLogin(url, 'demo@quicksend.test'));
    callback.searchParams.set('iss', 'https://evil.example');
    await fetch(callback);
  };
  await addExpectingError(world, 'signin.issuer_mismatch');
});

test('a replayed code (from an earlier sign-in) is refused', async () => {
  world = await openAccountsWorld();
  let firstCode: string | undefined;
  world.browser.script = async (url) => {
    const callback = new URL(await completeLogin(url, 'demo@quicksend.test'));
    firstCode = callback.searchParams.get('code')!;
    await fetch(callback);
  };
  expect(await world.call('accounts:add', { providerId: 'sandbox' })).toMatchObject({ ok: true });
  const account = (await world.call<Array<{ id: string }>>('accounts:list')) as {
    ok: true;
    value: Array<{ id: string }>;
  };
  await world.call('accounts:remove', { accountId: account.value[0]!.id });

  world.browser.script = async (url) => {
    const callback = new URL(await completeLogin(url, 'demo@quicksend.test'));
    callback.searchParams.set('code', firstCode!);
    await fetch(callback);
  };
  await addExpectingError(world, 'signin.exchange_failed');
});

test('a sign-in nobody finishes times out', async () => {
  world = await openAccountsWorld({ signInTimeoutMs: 300 });
  world.browser.script = async () => {};
  await addExpectingError(world, 'signin.timeout');
  const stages = world.seen.flatMap((s) =>
    (s as { event?: string }).event === 'signin:progress' ? [(s as { payload: { stage: string } }).payload.stage] : [],
  );
  expect(stages.at(-1)).toBe('timed-out');
});

test('cancel ends the sign-in and closes the port', async () => {
  world = await openAccountsWorld();
  let opened!: () => void;
  const wasOpened = new Promise<void>((resolve) => (opened = resolve));
  world.browser.script = async () => opened();
  const pending = world.call('accounts:add', { providerId: 'sandbox' });
  await wasOpened;
  expect(await world.call('accounts:cancelSignIn', { providerId: 'sandbox' })).toEqual({
    ok: true,
    value: { cancelled: true },
  });
  expect(await pending).toMatchObject({ ok: false, error: { code: 'signin.cancelled' } });
  await nothingLeftBehind(world);
  expect(await portClosed(redirectOf(world.browser.opened[0]!))).toBe(true);
});

test('a new sign-in for the same provider replaces the old one, and the event says so', async () => {
  world = await openAccountsWorld();
  let first = true;
  world.browser.script = async (url) => {
    if (first) {
      first = false;
      return;
    }
    await completeLogin(url, 'demo@quicksend.test', { visitCallback: true });
  };
  const older = world.call('accounts:add', { providerId: 'sandbox' });
  while (world.browser.opened.length === 0) await new Promise((r) => setImmediate(r));
  const newer = await world.call('accounts:add', { providerId: 'sandbox' });
  expect(newer).toMatchObject({ ok: true });
  expect(await older).toMatchObject({ ok: false, error: { code: 'signin.superseded' } });
  expect(JSON.stringify(world.seen)).toContain('"stage":"superseded"');
  expect(await portClosed(redirectOf(world.browser.opened[0]!))).toBe(true);
});

test('a provider that is down gives a plain-words error and opens no browser', async () => {
  world = await openAccountsWorld();
  await world.sandbox.stop();
  world.sandbox.stop = async () => {};
  const result = await world.call('accounts:add', { providerId: 'sandbox' });
  expect(result).toMatchObject({
    ok: false,
    error: { code: 'provider.unreachable', message: expect.stringMatching(/could not reach/) },
  });
  expect(world.browser.opened).toEqual([]);
  await nothingLeftBehind(world);
});

test('a grant without a refresh token (offline access unticked) is refused and nothing is stored', async () => {
  world = await openAccountsWorld();
  world.sandbox.withholdScopes(['offline_access']);
  await addExpectingError(world, 'signin.no_refresh_token');
});

test('a grant without the mail scope (unticked at consent) is refused, nothing is stored, and the grant is given back', async () => {
  world = await openAccountsWorld();
  world.sandbox.withholdScopes(['https://mail.sandbox.test/']);
  await addExpectingError(world, 'signin.scope_missing');
  const granted = world.providerResponses.flatMap((body) => {
    try {
      const token = (JSON.parse(body) as { refresh_token?: string }).refresh_token;
      return token ? [token] : [];
    } catch {
      return [];
    }
  });
  expect(granted).toHaveLength(1);
  expect((await world.sandbox.introspect(granted[0]!)).active).toBe(false);
});

test('signing in as someone other than the typed address is refused', async () => {
  world = await openAccountsWorld();
  world.browser.script = async (url) =>
    void (await completeLogin(url, 'other@quicksend.test', { visitCallback: true }));
  const result = await world.call('accounts:add', { providerId: 'sandbox', loginHint: 'demo@quicksend.test' });
  expect(result).toMatchObject({
    ok: false,
    error: { code: 'signin.address_mismatch', message: expect.stringContaining('other@quicksend.test') },
  });
  await nothingLeftBehind(world);
});
