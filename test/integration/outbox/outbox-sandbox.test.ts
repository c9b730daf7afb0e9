// The whole sending path, mail:send to the sandbox SMTP server, with real tokens: what arrives
// (mailparser, sha256 per attachment), and each fault the issue lists with its end state, the
// number of attempts, and no accepted message lost.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloadOf } from '../../../electron/ipc/contract';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../fakes/sandbox-token-source';
import { startLiveMail, type LiveMail } from '../../fakes/live-mail-service';
import { tempDataDir } from '../../support/node-ports';
import { EXTRA_CA_FIELD } from '../../../electron/mail/certificate-problem';
import { SANDBOX_SMTP_CA_NAME, startSandbox, type Sandbox } from '../../support/sandbox';

const USER = 'demo@quicksend.test';
const REVOKED = 'leaver@quicksend.test';
let sandbox: Sandbox;
let tokens: SandboxTokenSource;
const running: LiveMail[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ users: [{ email: USER, name: 'Demo User' }, { email: REVOKED }] });
  tokens = await createSandboxTokenSource(sandbox);
  await tokens.signIn('acc-1', USER);
}, 20_000);

afterEach(async () => {
  sandbox.smtp.clearFaults();
  sandbox.smtp.setMode('accept');
  for (const live of running.splice(0)) await live.service.stop();
}, 10_000);

afterAll(async () => {
  await sandbox?.stop();
}, 10_000);

async function live(options = {}): Promise<LiveMail> {
  const started = await startLiveMail(sandbox, tokens, 'acc-1', USER, options);
  started.redactor.register(await tokens.getAccessToken('acc-1'));
  running.push(started);
  return started;
}

const send = (mail: LiveMail, subject: string, extra: Record<string, unknown> = {}) =>
  mail.service.send({ accountId: 'acc-1', to: ['friend@example.com'], subject, text: `Body ${subject}`, ...extra });
const delivered = (subject: string) =>
  sandbox.smtp
    .messages()
    .filter((m) => m.messageId !== null && m.file && readFileSync(m.file, 'latin1').includes(`Subject: ${subject}`));
const gone = (id: string) => (s: { items: Array<{ id: string }> }) => !s.items.some((i) => i.id === id);
/** The next `count` outbox:changed events (events, not polling). */
function changes(mail: LiveMail, count: number): Promise<Array<EventPayloadOf<'outbox:changed'>>> {
  const seen: Array<EventPayloadOf<'outbox:changed'>> = [];
  return new Promise((resolve) => {
    const off = mail.events.on('outbox:changed', (s) => {
      seen.push(s);
      if (seen.length < count) return;
      off();
      resolve(seen);
    });
  });
}
const item = (id: string) => (s: { items: Array<{ id: string; state: string; attempts: number }> }) =>
  s.items.find((i) => i.id === id);
/** The item `id` as one event carries it (added or updated). */
const changedItem = (event: EventPayloadOf<'outbox:changed'>, id: string) =>
  event.changes.flatMap((c) => (c.type === 'removed' ? [] : [c.item])).find((i) => i.id === id);

describe('mail:send to the sandbox', () => {
  it('delivers what was written: subject, body, recipients, attachments byte for byte, no Bcc header', async () => {
    const mail = await live();
    const dir = tempDataDir('quicksend-files-');
    const files = [path.join(dir, 'photo.jpg'), path.join(dir, 'Übersicht 2026.pdf')];
    files.forEach((file, i) =>
      writeFileSync(file, Buffer.from(Array.from({ length: 150_000 + i * 7 }, (_, n) => (n * 13 + i) % 256))),
    );
    const { id } = await mail.service.send({
      accountId: 'acc-1',
      to: ['Jörg Müller <joerg@example.com>'],
      cc: ['"Smith, John" <john@example.org>'],
      bcc: ['hidden@example.net'],
      subject: 'Grüße aus dem Sandkasten ✉️',
      text: 'Hallo Jörg,\nanbei die Übersicht.\n— Demo',
      attachments: files.map((p) => ({ fileId: mail.files.register(p) })),
    });
    await mail.waitFor(gone(id));
    const [received] = sandbox.smtp.messages().filter((m) => m.messageId === `<${id}@quicksend.test>`);
    expect(received?.to.sort()).toEqual(['hidden@example.net', 'joerg@example.com', 'john@example.org']);
    const raw = await sandbox.smtp.read(received!.id);
    expect(raw.toString('latin1')).not.toMatch(/^bcc:/im);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Grüße aus dem Sandkasten ✉️');
    expect(parsed.text?.trim()).toBe('Hallo Jörg,\nanbei die Übersicht.\n— Demo');
    expect(parsed.from?.value).toEqual([{ address: USER, name: 'Demo User' }]);
    expect((parsed.to as AddressObject).value).toEqual([{ address: 'joerg@example.com', name: 'Jörg Müller' }]);
    expect((parsed.cc as AddressObject).value).toEqual([{ address: 'john@example.org', name: 'Smith, John' }]);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(parsed.attachments.map((a) => [a.filename, sha(a.content)])).toEqual(
      files.map((f) => [path.basename(f), sha(readFileSync(f))]),
    );
    expect((await mail.service.history())[0]).toMatchObject({
      id,
      outcome: 'sent',
      messageId: `<${id}@quicksend.test>`,
    });
    expect(mail.logText()).not.toContain(await tokens.getAccessToken('acc-1'));
    expect(mail.logText()).not.toContain('Hallo Jörg');
  }, 15_000);
});

describe('faults', () => {
  it('421 at the greeting twice: retried with backoff, delivered once, 3 attempts', async () => {
    const mail = await live();
    sandbox.smtp.fail('greeting', { code: 421, message: '4.7.0 Try again later, closing connection.' }, 2);
    const before = sandbox.smtp.stats();
    const { id } = await send(mail, '421 twice');
    await mail.waitFor((s) => item(id)(s)?.state === 'retrying' && item(id)(s)?.attempts === 2);
    await mail.waitFor(gone(id));
    expect(sandbox.smtp.stats().greetings - before.greetings).toBe(3);
    expect(delivered('421 twice')).toHaveLength(1);
  }, 15_000);

  it('454 on AUTH once: retried, delivered once, 2 attempts', async () => {
    const mail = await live();
    sandbox.smtp.fail('auth', { code: 454, message: '4.7.0 Too many login attempts, please try again later.' }, 1);
    const before = sandbox.smtp.stats();
    const { id } = await send(mail, '454 once');
    const retrying = await mail.waitFor((s) => item(id)(s)?.state === 'retrying');
    expect(retrying.items[0]).toMatchObject({ attempts: 1, lastError: { code: 'smtp.transient' } });
    await mail.waitFor(gone(id));
    expect(sandbox.smtp.stats().authAttempts - before.authAttempts).toBe(2);
    expect(delivered('454 once')).toHaveLength(1);
  }, 15_000);

  it('535 once: the token is refreshed and the second attempt delivers, account untouched', async () => {
    const mail = await live();
    const before = { ...tokens.counts };
    sandbox.smtp.fail('auth', { code: 535, message: '5.7.8 Username and Password not accepted' }, 1);
    const auths = sandbox.smtp.stats().authAttempts;
    const { id } = await send(mail, '535 once');
    await mail.waitFor(gone(id));
    expect(sandbox.smtp.stats().authAttempts - auths).toBe(2);
    expect(delivered('535 once')).toHaveLength(1);
    expect(tokens.counts.refresh - before.refresh).toBe(1);
    expect(tokens.counts.invalidate - before.invalidate).toBe(1);
    expect(mail.needsSignIn).toEqual([]);
  }, 15_000);

  it('535 always: needs sign-in after 2 attempts, kept on disk, sent after resumeAccount', async () => {
    const mail = await live();
    sandbox.smtp.fail('auth', { code: 535, message: '5.7.8 Username and Password not accepted' });
    const auths = sandbox.smtp.stats().authAttempts;
    const { id } = await send(mail, '535 always');
    const parked = await mail.waitFor((s) => item(id)(s)?.state === 'needs-sign-in');
    expect(sandbox.smtp.stats().authAttempts - auths).toBe(2);
    expect(parked.items[0]).toMatchObject({ attempts: 2, lastError: { code: 'smtp.auth' } });
    expect(mail.needsSignIn).toEqual(['acc-1']);
    expect(mail.service.waitingCount()).toBe(1);
    sandbox.smtp.clearFaults(); // the person signed in again
    expect(await mail.service.resumeAccount('acc-1')).toBe(1);
    await mail.waitFor(gone(id));
    expect(delivered('535 always')).toHaveLength(1);
  }, 15_000);

  it('552 on DATA: failed after 1 attempt, explained, kept; retryNow delivers it', async () => {
    const mail = await live();
    sandbox.smtp.fail('data', { code: 552, message: '5.3.4 Error: message file too big' }, 1);
    const { id } = await send(mail, '552 once');
    const failed = await mail.waitFor((s) => item(id)(s)?.state === 'failed');
    expect(failed.items[0]).toMatchObject({ attempts: 1, lastError: { code: 'smtp.permanent' } });
    expect(failed.items[0]?.lastError?.message).toMatch(/larger than the server accepts/);
    expect(delivered('552 once')).toHaveLength(0);
    await mail.service.retryNow(id);
    await mail.waitFor(gone(id));
    expect(delivered('552 once')).toHaveLength(1);
  }, 15_000);

  it('connection dropped mid-DATA: retried, delivered once, 2 attempts', async () => {
    const mail = await live();
    sandbox.smtp.fail('drop-during-data', { code: 0, message: '' }, 1);
    const started = sandbox.smtp.stats().dataStarted;
    const { id } = await send(mail, 'dropped mid-DATA');
    await mail.waitFor((s) => item(id)(s)?.state === 'retrying' && item(id)(s)?.attempts === 1);
    await mail.waitFor(gone(id));
    expect(sandbox.smtp.stats().dataStarted - started).toBe(2);
    expect(delivered('dropped mid-DATA')).toHaveLength(1);
  }, 15_000);

  it('a server that never answers: times out and retries until it answers again, nothing lost', async () => {
    const mail = await live();
    sandbox.smtp.setMode('silent');
    const { id } = await send(mail, 'silent server');
    const timedOut = await mail.waitFor((s) => item(id)(s)?.state === 'retrying' && (item(id)(s)?.attempts ?? 0) >= 2);
    expect(timedOut.items[0]?.lastError?.message).toMatch(/did not answer in time/);
    expect(delivered('silent server')).toHaveLength(0);
    sandbox.smtp.setMode('accept');
    await mail.waitFor(gone(id));
    expect(delivered('silent server')).toHaveLength(1);
  }, 15_000);

  it('an untrusted certificate: parked with the issuer named, not retried, sent once the account trusts its CA', async () => {
    const mail = await live();
    mail.account.smtp.extraCa = undefined; // the person has not added the company CA yet
    const { id } = await send(mail, 'private CA');
    const parked = await mail.waitFor((s) => item(id)(s)?.state === 'untrusted-server');
    const error = parked.items.find((i) => i.id === id)?.lastError;
    expect(error).toMatchObject({ code: 'smtp.certificate_untrusted' });
    expect(error?.message).toContain(`issued by "${SANDBOX_SMTP_CA_NAME}"`);
    expect(error?.hint).toContain(`under "${EXTRA_CA_FIELD}"`);
    expect(item(id)(parked)?.attempts).toBe(1);
    // Backoff would have retried several times by now (20-200 ms); a parked message waits.
    const connections = sandbox.smtp.stats().connections;
    await expect(mail.waitFor((s) => (item(id)(s)?.attempts ?? 0) > 1, 600)).rejects.toThrow(/never reached/);
    expect(sandbox.smtp.stats().connections).toBe(connections);
    mail.account.smtp.extraCa = sandbox.smtp.ca; // added in the account card
    expect(await mail.service.resumeServer('acc-1')).toBe(1);
    await mail.waitFor(gone(id));
    expect(delivered('private CA')).toHaveLength(1);
  }, 15_000);

  it('a captive portal: a certificate for another name parks the message; it goes after a network change once the real server answers', async () => {
    const mail = await live();
    sandbox.smtp.setCertificate('wrong-host');
    try {
      const { id } = await send(mail, 'behind a portal');
      const parked = await mail.waitFor((s) => item(id)(s)?.state === 'untrusted-server');
      expect(parked.items.find((i) => i.id === id)?.lastError).toMatchObject({
        code: 'smtp.certificate_wrong_name',
        message: expect.stringContaining('certificate is for another name (mail.elsewhere.test)'),
      });
      // Online again while the portal is still there: checked again (a probe, no AUTH), still parked.
      const { authAttempts, connections } = sandbox.smtp.stats();
      const checked = changes(mail, 1); // the check's result (the network change itself changes no message)
      mail.network.goOnline();
      const [afterCheck] = await checked;
      expect(changedItem(afterCheck!, id)?.state).toBe('untrusted-server');
      expect(sandbox.smtp.stats().connections).toBe(connections + 1); // the probe
      expect(sandbox.smtp.stats().authAttempts).toBe(authAttempts);
      // The person signed in to the portal: the real certificate again, and the next network change sends it.
      sandbox.smtp.setCertificate('sandbox');
      mail.network.goOnline();
      await mail.waitFor(gone(id));
      expect(delivered('behind a portal')).toHaveLength(1);
    } finally {
      sandbox.smtp.setCertificate('sandbox');
    }
  }, 15_000);

  it('a revoked grant: 535 from the server, refresh refused, parked as needs-sign-in after 1 attempt', async () => {
    await tokens.signIn('acc-2', REVOKED);
    const mail = await startLiveMail(sandbox, tokens, 'acc-2', REVOKED);
    running.push(mail);
    await sandbox.revokeAllFor(REVOKED);
    const { id } = await mail.service.send({
      accountId: 'acc-2',
      to: ['friend@example.com'],
      subject: 'after revoke',
      text: 'x',
    });
    const parked = await mail.waitFor((s) => item(id)(s)?.state === 'needs-sign-in');
    expect(parked.items[0]).toMatchObject({ attempts: 1, lastError: { code: 'auth.needs_sign_in' } });
    expect(mail.needsSignIn).toEqual(['acc-2']);
    expect(delivered('after revoke')).toHaveLength(0);
  }, 15_000);
});
