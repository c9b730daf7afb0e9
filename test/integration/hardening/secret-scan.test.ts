/**
 * A whole run (sign-in, refresh, send with a body and an attachment, client secret saved,
 * account removed), then a scan: no token, code, verifier, client secret or message body, in
 * raw, base64, URL-encoded or JSON-escaped form, in any file, log line, IPC answer or event.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { startAppHost, type AppHost } from '../../support/app-host';
import { completeLogin } from '../../support/sandbox/browser-login';
import { tempDataDir } from '../../support/node-ports';

let app: AppHost | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

function forms(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  // base64 of the secret at each of the three byte alignments, trimmed to the stable middle.
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret)]).toString('base64');
    out.add(encoded.slice(Math.ceil((shift * 4) / 3) + 1, -4));
  }
  out.add(Buffer.from(secret).toString('base64url').slice(0, -2));
  return [...out].filter((f) => f.length >= 12);
}

test('no secret or body leaks anywhere during a whole run', async () => {
  const requests: string[] = [];
  const responses: string[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string') requests.push(init.body);
    else if (init?.body instanceof URLSearchParams) requests.push(init.body.toString());
    const response = await fetch(input, init);
    responses.push(await response.clone().text());
    return response;
  };
  const dataDir = tempDataDir();
  app = await startAppHost({
    dataDir,
    fetch: recordingFetch,
    sandbox: { accessTokenTtlSeconds: 30 },
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
  });
  const seen: unknown[] = [];
  app.core.events.onAny((event, payload) => seen.push({ event, payload }));
  const sender = { frameUrl: `${app.host.origin}/`, isMainFrame: true };
  const call = async (channel: string, payload: unknown) => {
    const result = await app!.core.router.handle(channel, payload, sender);
    seen.push(result);
    return result;
  };

  const clientSecret = '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r-leak';
  expect(
    await call('providers:setClient', {
      providerId: 'google',
      clientId: 'id.apps.googleusercontent.com',
      clientSecret,
    }),
  ).toMatchObject({ ok: true });
  await call('settings:set', { undoDelaySeconds: 0 });
  const added = (await call('accounts:add', { providerId: 'sandbox' })) as { ok: true; value: Account };
  expect(added.ok).toBe(true);
  const body = 'Confidential body: the merger closes on Friday, tell nobody. 7f3a9c';
  const attachment = path.join(os.tmpdir(), `qs-secret-${process.pid}.txt`);
  writeFileSync(attachment, 'attachment content 9e8d7c6b5a');
  // As if picked in Attach…: main gives the file an id; the window never holds its path.
  const [given] = await app.core.files.give([attachment]);
  expect(
    await call('mail:send', {
      accountId: added.value.id,
      to: ['ann@example.com'],
      subject: 'Plans',
      text: body,
      attachments: [{ fileId: given!.fileId }],
    }),
  ).toMatchObject({ ok: true });
  await app.sandbox.smtp.waitForMessages(1, 15_000);
  // A refresh too (30 s tokens are reused for most of their life, so force one).
  app.core.accounts.tokens.invalidate(added.value.id);
  await app.core.accounts.tokens.getAccessToken(added.value.id);
  await call('history:list', {});
  await call('outbox:list', {});
  expect(await call('accounts:remove', { accountId: added.value.id })).toMatchObject({
    ok: true,
    value: { revocation: 'revoked' },
  });

  const secrets = new Set<string>([clientSecret, body]);
  for (const req of requests) {
    const params = new URLSearchParams(req);
    for (const key of ['code', 'code_verifier', 'refresh_token', 'token', 'client_secret'])
      if (params.get(key)) secrets.add(params.get(key)!);
  }
  for (const res of responses) {
    try {
      const json = JSON.parse(res) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token', 'id_token'])
        if (typeof json[key] === 'string') secrets.add(json[key] as string);
    } catch {
      // HTML pages carry nothing to collect.
    }
  }
  expect(secrets.size).toBeGreaterThanOrEqual(8);

  const haystacks: Array<[string, string]> = [];
  for (const file of filesUnder(dataDir)) {
    const bytes = readFileSync(file);
    haystacks.push(
      [path.relative(dataDir, file), bytes.toString('utf8')],
      [path.relative(dataDir, file), bytes.toString('latin1')],
    );
  }
  haystacks.push(['log', JSON.stringify(app.ports.logRecords)]);
  haystacks.push(['ipc/events', JSON.stringify(seen)]);

  const leaks: string[] = [];
  for (const secret of secrets)
    for (const form of forms(secret))
      for (const [where, text] of haystacks)
        if (text.includes(form)) leaks.push(`${where} holds ${form.slice(0, 10)}…`);
  expect(leaks).toEqual([]);
  // The scan can fail: the body really was sent, so the forms are the right ones.
  const delivered = (await app.sandbox.smtp.read(app.sandbox.smtp.messages()[0]!.id)).toString();
  expect(forms(body).some((form) => delivered.includes(form)) || delivered.includes('Confidential')).toBe(true);
});
