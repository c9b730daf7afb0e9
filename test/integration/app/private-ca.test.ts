/**
 * A mail server with a private certificate authority (a company or self-hosted server), through
 * the wired core: the account test and a parked message name the issuer and the field; the CA,
 * checked in main, is added in the account's settings (or with a custom provider), and what
 * waited is delivered. Bad certificates are refused in plain words and change nothing.
 */
import { afterEach, expect, test } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { Account, OutboxList, Provider, Result } from '../../../electron/ipc/contract';
import { EXTRA_CA_FIELD } from '../../../electron/mail/certificate-problem';
import { defaultSmtpTimeouts } from '../../../electron/mail/smtp-transport';
import { createNodePorts, type NodePorts } from '../../support/node-ports';
import { watchOutbox, type OutboxView } from '../../support/outbox-watch';
import { SANDBOX_MAIL_SCOPE, SANDBOX_SMTP_CA_NAME, startSandbox, type Sandbox } from '../../support/sandbox';
import { completeLogin } from '../../support/sandbox/browser-login';
import { SANDBOX_SMTP_CERT } from '../../support/sandbox/smtp-cert';

const USER = 'demo@quicksend.test';
const SENDER = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };
// `openssl x509 -noout -fingerprint -sha256` of the sandbox's private CA.
const CA_FINGERPRINT =
  'B8:37:29:97:A4:64:74:DD:76:5E:88:17:08:0E:DD:38:56:4D:26:F7:7E:76:61:D2:0F:08:86:AA:FF:0D:72:DD';

let sandbox: Sandbox | undefined;
let core: Core | undefined;
afterEach(async () => {
  await core?.dispose();
  await sandbox?.stop();
  core = undefined;
  sandbox = undefined;
}, 10_000);

type Outbox = OutboxView;

async function world(): Promise<{
  sandbox: Sandbox;
  core: Core;
  ports: NodePorts;
  call<T>(
    channel: string,
    payload?: unknown,
  ): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; hint?: string } }>;
  outbox(test: (s: Outbox) => boolean): Promise<Outbox>;
}> {
  sandbox = await startSandbox();
  const ports = createNodePorts({
    browser: { open: async (url) => void completeLogin(url, USER, { visitCallback: true }).catch(() => {}) },
  });
  core = await createCore(ports, {
    development: true,
    version: '0.0.0-test',
    platform: process.platform,
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
    // The server's certificate comes from a CA nobody has told Quicksend about yet.
    sandbox: {
      issuer: sandbox.issuer,
      clientId: sandbox.clientId,
      mailScope: SANDBOX_MAIL_SCOPE,
      smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, security: 'starttls' },
    },
    mail: {
      timeouts: {
        ...defaultSmtpTimeouts,
        connectionMs: 2_000,
        greetingMs: 1_000,
        socketMs: 2_000,
        idleMs: 1_000,
        sendMs: 5_000,
      },
      backoff: { baseMs: 20, capMs: 200, factor: 2, random: () => 0.5 },
    },
  });
  const live = core;
  const watch = watchOutbox(live.events, async () => {
    const listed = (await live.router.handle('outbox:list', {}, SENDER)) as Result<OutboxList>;
    if (!listed.ok) throw new Error(listed.error.message);
    return listed.value;
  });
  await watch.ready;
  return {
    sandbox,
    core: live,
    ports,
    call: (channel, payload = {}) => live.router.handle(channel, payload, SENDER) as never,
    outbox: (test) => watch.waitFor(test),
  };
}

test('an account on a private-CA server: explained, CA added in the account settings, then delivered', async () => {
  const w = await world();
  await w.call('settings:set', { undoDelaySeconds: 0 });
  const added = await w.call<Account>('accounts:add', { providerId: 'sandbox' });
  if (!added.ok) throw new Error(added.error.message);
  const accountId = added.value.id;
  expect(added.value.extraCa).toBeUndefined();

  // accounts:test names the TLS layer and the issuer.
  const tested = await w.call<{
    ok: boolean;
    layers: Array<{ layer: string; ok: boolean; message: string; hint?: string }>;
  }>('accounts:test', { accountId });
  expect(tested.ok && tested.value.layers.map((l) => `${l.layer}:${l.ok}`)).toEqual(['network:true', 'tls:false']);
  expect(tested.ok && tested.value.layers[1]?.message).toContain(`issued by "${SANDBOX_SMTP_CA_NAME}"`);

  // A message waits, parked, with the explanation naming the account's field.
  const sent = await w.call<{ id: string }>('mail:send', {
    accountId,
    to: ['ann@example.com'],
    subject: 'Behind a private CA',
    text: 'Hello',
  });
  if (!sent.ok) throw new Error(sent.error.message);
  const parked = await w.outbox((s) => s.items.some((i) => i.id === sent.value.id && i.state === 'untrusted-server'));
  const error = parked.items.find((i) => i.id === sent.value.id)!.lastError!;
  expect(error.message).toContain(`issued by "${SANDBOX_SMTP_CA_NAME}"`);
  expect(error.hint).toContain(`on the card of ${USER}, under "${EXTRA_CA_FIELD}"`);

  // A wrong file is refused in plain words and changes nothing.
  for (const [pem, code] of [
    ['not a certificate', 'certificate.not_pem'],
    [SANDBOX_SMTP_CERT, 'certificate.not_ca'],
  ] as const) {
    expect(await w.call('accounts:setExtraCa', { accountId, pem })).toMatchObject({ ok: false, error: { code } });
  }
  const unchanged = await w.call<Account[]>('accounts:list');
  expect(unchanged.ok && unchanged.value[0]?.extraCa).toBeUndefined();

  // Shown before saving, then saved: subject and SHA-256 fingerprint.
  const summary = { subject: SANDBOX_SMTP_CA_NAME, fingerprint256: CA_FINGERPRINT };
  expect(await w.call('certificates:inspect', { pem: w.sandbox.smtp.ca })).toMatchObject({ ok: true, value: summary });
  expect(await w.call('accounts:setExtraCa', { accountId, pem: w.sandbox.smtp.ca })).toMatchObject({
    ok: true,
    value: { extraCa: summary },
  });
  const listed = await w.call<Account[]>('accounts:list');
  expect(listed.ok && listed.value[0]?.extraCa).toMatchObject(summary);

  // What waited goes at once; the account now passes every layer.
  const [message] = await w.sandbox.smtp.waitForMessages(1, 10_000);
  expect(message).toMatchObject({ user: USER, to: ['ann@example.com'] });
  await w.outbox((s) => !s.items.some((i) => i.id === sent.value.id));
  const again = await w.call<{ ok: boolean }>('accounts:test', { accountId });
  expect(again).toMatchObject({ ok: true, value: { ok: true } });

  // Removing it takes the trust away again.
  const removed = await w.call<Account>('accounts:setExtraCa', { accountId, pem: null });
  expect(removed.ok && removed.value.extraCa).toBeUndefined();
  const after = await w.call<{ ok: boolean; layers: Array<{ layer: string; ok: boolean }> }>('accounts:test', {
    accountId,
  });
  expect(after.ok && after.value.ok).toBe(false);
}, 30_000);

test('a custom provider takes the CA with its SMTP settings: checked before saving, used for its accounts', async () => {
  const w = await world();
  await w.call('settings:set', { undoDelaySeconds: 0 });
  const custom = {
    name: 'Company mail',
    issuer: w.sandbox.issuer,
    clientId: w.sandbox.clientId,
    scopes: ['openid', 'email', 'offline_access', SANDBOX_MAIL_SCOPE],
  };
  const smtp = { host: w.sandbox.smtp.host, port: w.sandbox.smtp.port, security: 'starttls' as const };

  const before = await w.call<Provider[]>('providers:list');
  expect(
    await w.call('providers:addCustom', { ...custom, smtp: { ...smtp, extraCa: SANDBOX_SMTP_CERT } }),
  ).toMatchObject({ ok: false, error: { code: 'certificate.not_ca' } });
  const still = await w.call<Provider[]>('providers:list');
  expect(still.ok && still.value.length).toBe(before.ok && before.value.length);

  const provider = await w.call<Provider>('providers:addCustom', {
    ...custom,
    smtp: { ...smtp, extraCa: w.sandbox.smtp.ca, preferOAuthBearer: true },
  });
  if (!provider.ok) throw new Error(provider.error.message);
  const added = await w.call<Account>('accounts:add', { providerId: provider.value.id });
  if (!added.ok) throw new Error(added.error.message);
  const sent = await w.call<{ id: string }>('mail:send', {
    accountId: added.value.id,
    to: ['bob@example.com'],
    subject: 'Through the company CA',
    text: 'Hi',
  });
  expect(sent.ok).toBe(true);
  const [message] = await w.sandbox.smtp.waitForMessages(1, 10_000);
  expect(message).toMatchObject({ user: USER, to: ['bob@example.com'] });
  // The provider asked for the standard mechanism, and the sandbox offers it.
  expect(w.sandbox.smtp.stats().authByMethod.OAUTHBEARER).toBe(1);
}, 30_000);
