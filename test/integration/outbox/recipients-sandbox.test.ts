// Refused and put-off recipients through the whole sending path (mail:send, outbox, real
// nodemailer, real tokens) against the sandbox SMTP server answering RCPT TO per address, as
// Postfix does: who gets how many copies, with which Message-ID, and what the outbox item,
// history and log say about the others.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../fakes/sandbox-token-source';
import { startLiveMail, type LiveMail, type LiveStorage } from '../../fakes/live-mail-service';
import { startSandbox, type Sandbox } from '../../support/sandbox';
import type { MailServiceOptions } from '../../../electron/outbox/mail-service';
import { diffOutbox, failedNotifications } from '../../../electron/shell/notifications';

const USER = 'demo@quicksend.test';
const ADA = 'ada@example.org';
const BOB = 'bob@example.org';
const CAROL = 'carol@example.org';
let sandbox: Sandbox;
let tokens: SandboxTokenSource;
const running: LiveMail[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ users: [{ email: USER, name: 'Demo User' }] });
  tokens = await createSandboxTokenSource(sandbox);
  await tokens.signIn('acc-1', USER);
}, 20_000);

afterEach(async () => {
  sandbox.smtp.clearFaults();
  for (const live of running.splice(0)) await live.service.stop();
}, 10_000);

afterAll(async () => {
  await sandbox?.stop();
}, 10_000);

async function live(options: Partial<MailServiceOptions> = {}, storage?: LiveStorage): Promise<LiveMail> {
  const started = await startLiveMail(sandbox, tokens, 'acc-1', USER, options, 0, storage);
  running.push(started);
  return started;
}

const send = (mail: LiveMail, subject: string, to = [ADA, BOB], cc = [CAROL]) =>
  mail.service.send({ accountId: 'acc-1', to, cc, subject, text: `Body of ${subject}` });
/** Every copy the server stored of this message, by Message-ID, with its RCPT TO list. */
const copies = (id: string) => sandbox.smtp.messages().filter((m) => m.messageId === `<${id}@quicksend.test>`);
const copiesFor = (id: string, address: string) => copies(id).filter((m) => m.to.includes(address)).length;
const gone = (id: string) => (s: { items: Array<{ id: string }> }) => !s.items.some((i) => i.id === id);

describe('a recipient refused at RCPT TO next to accepted ones', () => {
  it('is named with the server reply in the outbox item, history and log; the others get exactly one copy', async () => {
    const mail = await live();
    sandbox.smtp.refuseRecipient(BOB);
    const reply = `550 5.1.1 <${BOB}>: Recipient address rejected: User unknown in local recipient table`;
    const { id } = await send(mail, 'Mixed');
    const sending = await mail.waitFor((s) => s.items.find((i) => i.id === id)?.state === 'sending');
    const failed = await mail.waitFor((s) => s.items.find((i) => i.id === id)?.state === 'failed');
    // What the desktop shell shows for this change (shell-state feeds it these two snapshots).
    expect(failedNotifications(diffOutbox(sending.items, failed.items).failed)).toEqual([
      {
        title: 'Partly sent: “Mixed”',
        body: `Sent to 2 of 3 recipients. Not delivered to ${BOB}: the server said "${reply}".`,
        view: 'outbox',
      },
    ]);
    const item = failed.items.find((i) => i.id === id)!;
    expect(item).toMatchObject({ to: [BOB], cc: [], deliveredTo: [ADA, CAROL], refused: [{ address: BOB, reply }] });
    expect(item.lastError?.message).toBe(
      `Sent to 2 of 3 recipients. Not delivered to ${BOB}: the server said "${reply}".`,
    );
    expect(copies(id).map((m) => m.to)).toEqual([[ADA, CAROL]]);
    const [entry] = await mail.service.history();
    expect(entry).toMatchObject({
      id,
      outcome: 'sent',
      to: [ADA, BOB, CAROL],
      messageId: `<${id}@quicksend.test>`,
      refused: [{ address: BOB, reply }],
    });
    expect(mail.logText()).toContain(BOB);
    expect(mail.logText()).toContain('User unknown in local recipient table');
    expect(mail.logText()).not.toContain('Body of Mixed');
  }, 15_000);

  it('every recipient refused: the message still fails, nothing is stored, each address is named', async () => {
    const mail = await live();
    sandbox.smtp.refuseRecipient(ADA);
    sandbox.smtp.refuseRecipient(BOB, { code: 554, message: `5.7.1 <${BOB}>: Relay access denied` });
    const { id } = await send(mail, 'All refused', [ADA, BOB], []);
    const failed = await mail.waitFor((s) => s.items.find((i) => i.id === id)?.state === 'failed');
    expect(failed.items.find((i) => i.id === id)?.lastError?.message).toMatch(
      /^Not delivered to ada@example\.org: the server said "550 5\.1\.1 .*"\. Not delivered to bob@example\.org: the server said "554 5\.7\.1 <bob@example\.org>: Relay access denied"\.$/,
    );
    expect(copies(id)).toEqual([]);
    expect(mail.needsSignIn).toEqual([]);
    expect((await mail.service.history())[0]).toMatchObject({ id, outcome: 'failed', messageId: null });
  }, 15_000);
});

describe('recipients put off with 4xx at RCPT TO', () => {
  it('deferred then accepted: a follow-up transaction to just them, same Message-ID, one copy each', async () => {
    const mail = await live();
    sandbox.smtp.deferRecipient(CAROL, undefined, 2);
    const { id } = await send(mail, 'Greylisted');
    await mail.waitFor(gone(id));
    expect(copies(id).map((m) => m.to)).toEqual([[ADA, BOB], [CAROL]]);
    for (const address of [ADA, BOB, CAROL]) expect(copiesFor(id, address)).toBe(1);
    const headers = copies(id).map((m) =>
      readFileSync(m.file, 'utf8')
        .split('\r\n\r\n')[0]!
        .replace(/^Received:.*(\r\n[ \t].*)*\r\n/gim, ''),
    );
    expect(headers[1]).toBe(headers[0]); // the same message, headers and all
    expect(headers[0]).toMatch(/^Cc: carol@example\.org$/m);
    const [entry] = await mail.service.history();
    expect(entry).toMatchObject({ id, outcome: 'sent', to: [ADA, BOB, CAROL] });
    expect(entry?.refused).toBeUndefined();
  }, 15_000);

  it('every recipient deferred: the whole message retries with backoff, then goes out once', async () => {
    const mail = await live();
    sandbox.smtp.deferRecipient(ADA, { code: 451, message: '4.3.0 Temporary lookup failure' }, 2);
    sandbox.smtp.deferRecipient(BOB, undefined, 2);
    const { id } = await send(mail, 'All deferred', [ADA, BOB], []);
    const retrying = await mail.waitFor((s) => s.items.find((i) => i.id === id)?.state === 'retrying');
    expect(retrying.items.find((i) => i.id === id)?.lastError?.message).toMatch(
      /^The server put off ada@example\.org for now: "451 4\.3\.0 Temporary lookup failure"\. The server put off bob@example\.org/,
    );
    await mail.waitFor(gone(id));
    expect(copies(id).map((m) => m.to)).toEqual([[ADA, BOB]]);
  }, 15_000);

  it('452 too many recipients: the rest go in follow-up transactions until everyone has one copy', async () => {
    const mail = await live();
    sandbox.smtp.setRecipientLimit(2);
    const five = ['r1@example.org', 'r2@example.org', 'r3@example.org', 'r4@example.org', 'r5@example.org'];
    const { id } = await send(mail, 'Limit', five, []);
    await mail.waitFor(gone(id));
    expect(copies(id).map((m) => m.to)).toEqual([five.slice(0, 2), five.slice(2, 4), five.slice(4)]);
  }, 15_000);

  it('a restart in between keeps the recipients still to send to', async () => {
    const first = await live();
    sandbox.smtp.deferRecipient(CAROL, undefined, Number.POSITIVE_INFINITY);
    const { id } = await send(first, 'Across a restart');
    await first.waitFor(
      (s) =>
        (s.items.find((i) => i.id === id)?.attempts ?? 0) >= 2 &&
        s.items.find((i) => i.id === id)?.state === 'retrying',
    );
    await first.service.stop();
    running.splice(running.indexOf(first), 1);
    expect(copies(id).map((m) => m.to)).toEqual([[ADA, BOB]]);

    sandbox.smtp.clearFaults(); // carol's server stops greylisting
    const second = await live({}, first.storage);
    await second.waitFor(gone(id));
    expect(copies(id).map((m) => m.to)).toEqual([[ADA, BOB], [CAROL]]);
    expect((await second.service.history())[0]).toMatchObject({ id, outcome: 'sent', to: [ADA, BOB, CAROL] });
  }, 15_000);
});
