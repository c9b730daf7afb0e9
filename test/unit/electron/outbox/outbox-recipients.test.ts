// The outbox when a server takes some recipients and not others (scripted RCPT TO replies):
// refused ones are named everywhere and kept for "Write again", deferred ones get a follow-up
// transaction to just them, nobody who has the message gets it twice, and a restart in between
// keeps who is left (sealed on disk).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channels, resultSchema } from '../../../../electron/ipc/contract';
import { ACCOUNT, createHarness, type Harness } from '../../../fakes/mail-harness';

const harnesses: Harness[] = [];
async function harness(): Promise<Harness> {
  const h = await createHarness();
  h.undoMs.value = 0;
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.sender.release();
    await h.service.stop();
  }
});

const ADA = 'ada@example.org';
const BOB = 'bob@example.org';
const CAROL = 'carol@example.org';
const UNKNOWN = '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table';
const GREY = '450 4.2.0 <carol@example.org>: Recipient address rejected: Greylisted, try again later';

const send = (h: Harness, subject = 'Minutes') =>
  h.service.send({
    accountId: ACCOUNT.id,
    to: [`Ada <${ADA}>`, `Bob <${BOB}>`],
    cc: [CAROL],
    subject,
    text: 'The minutes are attached.',
  });
const itemOf = (h: Harness, id: string) => h.service.outbox().then((s) => s.items.find((i) => i.id === id));
const history = (h: Harness) => h.service.history();

describe('some recipients refused (5xx), the others taken', () => {
  it('counts as sent to the others and names the refused address with the reply in the item, history and log', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [BOB]: UNKNOWN } });
    const { id } = await send(h);
    const failed = await h.waitFor((s) => s.items[0]?.state === 'failed');
    const expected = `Sent to 2 of 3 recipients. Not delivered to ${BOB}: the server said "${UNKNOWN}".`;
    expect(failed.items).toEqual([
      expect.objectContaining({
        id,
        to: [`Bob <${BOB}>`],
        cc: [],
        bcc: [],
        deliveredTo: [ADA, CAROL],
        refused: [{ address: BOB, reply: UNKNOWN }],
        lastError: expect.objectContaining({ code: 'smtp.recipients_refused', message: expected }),
      }),
    ]);
    expect(h.sender.calls.map((c) => c.envelopeTo)).toEqual([[ADA, BOB, CAROL]]);
    expect(await history(h)).toEqual([
      expect.objectContaining({
        id,
        outcome: 'sent',
        to: [`Ada <${ADA}>`, `Bob <${BOB}>`, CAROL],
        messageId: `<${id}@quicksend.test>`,
        error: null,
        refused: [{ address: BOB, reply: UNKNOWN }],
      }),
    ]);
    expect(
      resultSchema(channels['history:list'].response).safeParse({ ok: true, value: await history(h) }).success,
    ).toBe(true);
    expect(h.logText()).toContain(BOB);
    expect(h.logText()).toContain('User unknown in local recipient table');
    expect(h.touched).toEqual([ACCOUNT.id]);
    expect(h.service.waitingCount()).toBe(0); // nothing will go out by itself
    h.clock.advance(3_600_000);
    expect(h.sender.calls).toHaveLength(1);
  });

  it('"Write again" (outbox:cancel) hands back the original message for the refused recipient only; history keeps "sent"', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [BOB]: UNKNOWN } });
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'failed');
    const answer = await h.service.cancel(id);
    expect(answer).toEqual({
      cancelled: true,
      draft: {
        accountId: ACCOUNT.id,
        to: [`Bob <${BOB}>`],
        cc: [],
        bcc: [],
        subject: 'Minutes',
        text: 'The minutes are attached.',
        attachments: [],
      },
    });
    expect((await h.service.outbox()).items).toEqual([]);
    const entries = await history(h);
    expect(entries.map((e) => [e.id, e.outcome, e.refused?.map((r) => r.address)])).toEqual([[id, 'sent', [BOB]]]);
  });

  it('Retry sends to the refused recipient only and then records the message as sent to everyone, once', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [BOB]: UNKNOWN } });
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'failed');
    expect(await h.service.retryNow(id)).toEqual({ scheduled: true });
    await h.waitFor((s) => s.items.length === 0);
    expect(h.sender.calls.map((c) => c.envelopeTo)).toEqual([[ADA, BOB, CAROL], [BOB]]);
    expect(new Set(h.sender.calls.map((c) => c.messageId))).toEqual(new Set([`<${id}@quicksend.test>`]));
    const entries = await history(h);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id, outcome: 'sent' });
    expect(entries[0]?.refused).toBeUndefined();
  });

  it('every recipient refused: the message fails as a whole, naming each address; discarding it adds no history entry', async () => {
    const h = await harness();
    h.sender.script.push({
      rcpt: {
        [ADA]: '550 5.1.1 Ada unknown',
        [BOB]: UNKNOWN,
        [CAROL]: '554 5.7.1 <carol@example.org>: Relay access denied',
      },
    });
    const { id } = await send(h);
    const failed = await h.waitFor((s) => s.items[0]?.state === 'failed');
    expect(failed.items[0]).toMatchObject({ to: [`Ada <${ADA}>`, `Bob <${BOB}>`], cc: [CAROL], deliveredTo: [] });
    expect(failed.items[0]?.lastError?.message).toBe(
      `Not delivered to ${ADA}: the server said "550 5.1.1 Ada unknown". Not delivered to ${BOB}: the server said "${UNKNOWN}". Not delivered to ${CAROL}: the server said "554 5.7.1 <carol@example.org>: Relay access denied".`,
    );
    expect(h.needsSignIn).toEqual([]); // a relay refusal at RCPT TO is about the recipient, not the sign-in
    expect(await history(h)).toEqual([
      expect.objectContaining({
        id,
        outcome: 'failed',
        messageId: null,
        error: expect.objectContaining({ code: 'smtp.recipients_refused' }),
        refused: expect.arrayContaining([
          { address: CAROL, reply: '554 5.7.1 <carol@example.org>: Relay access denied' },
        ]),
      }),
    ]);
    await h.service.cancel(id);
    expect((await history(h)).map((e) => e.outcome)).toEqual(['failed']);
  });
});

describe('recipients put off (4xx)', () => {
  it('get a follow-up transaction to just them after the backoff, same Message-ID, nobody twice', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [CAROL]: GREY } });
    const { id } = await send(h);
    const retrying = await h.waitFor((s) => s.items[0]?.state === 'retrying');
    expect(retrying.items[0]).toMatchObject({
      to: [],
      cc: [CAROL],
      deliveredTo: [ADA, BOB],
      refused: [],
      lastError: { code: 'smtp.recipients_deferred' },
    });
    expect(retrying.items[0]?.lastError?.message).toBe(
      `Sent to 2 of 3 recipients so far. The server put off ${CAROL} for now: "${GREY}".`,
    );
    expect(h.service.waitingCount()).toBe(1);
    expect(Date.parse(retrying.items[0]!.nextAttemptAt!) - h.clock.now()).toBe(750); // backoff(1): 1 s nominal, half jitter
    h.clock.advance(749);
    expect(h.sender.calls).toHaveLength(1);
    h.clock.advance(1);
    await h.waitFor((s) => s.items.length === 0);
    expect(h.sender.calls.map((c) => c.envelopeTo)).toEqual([[ADA, BOB, CAROL], [CAROL]]);
    expect(h.sender.calls.map((c) => c.messageId)).toEqual([`<${id}@quicksend.test>`, `<${id}@quicksend.test>`]);
    expect(await history(h)).toEqual([
      expect.objectContaining({
        id,
        outcome: 'sent',
        to: [`Ada <${ADA}>`, `Bob <${BOB}>`, CAROL],
        messageId: `<${id}@quicksend.test>`,
      }),
    ]);
    expect((await history(h))[0]?.refused).toBeUndefined();
  });

  it('every recipient put off (nodemailer fails the send): the whole message retries with growing backoff, then goes out', async () => {
    const h = await harness();
    const all = {
      [ADA]: '451 4.3.0 Temporary lookup failure',
      [BOB]: '452 4.5.3 Error: too many recipients',
      [CAROL]: GREY,
    };
    h.sender.script.push({ rcpt: all }, { rcpt: all });
    const { id } = await send(h);
    const first = await h.waitFor((s) => s.items[0]?.state === 'retrying' && s.items[0]?.attempts === 1);
    expect(first.items[0]).toMatchObject({ to: [`Ada <${ADA}>`, `Bob <${BOB}>`], cc: [CAROL], deliveredTo: [] });
    expect(Date.parse(first.items[0]!.nextAttemptAt!) - h.clock.now()).toBe(750);
    h.clock.advance(750);
    const second = await h.waitFor((s) => s.items[0]?.state === 'retrying' && s.items[0]?.attempts === 2);
    expect(Date.parse(second.items[0]!.nextAttemptAt!) - h.clock.now()).toBe(1_500); // backoff(2)
    h.clock.advance(1_500);
    await h.waitFor((s) => s.items.length === 0);
    expect(h.sender.calls.map((c) => c.envelopeTo)).toEqual([
      [ADA, BOB, CAROL],
      [ADA, BOB, CAROL],
      [ADA, BOB, CAROL],
    ]);
    expect(await history(h)).toEqual([expect.objectContaining({ id, outcome: 'sent' })]);
  });

  it('a put-off recipient refused on the follow-up ends as refused; the others were sent it once', async () => {
    const h = await harness();
    h.sender.script.push(
      { rcpt: { [CAROL]: GREY } },
      { rcpt: { [CAROL]: '550 5.1.1 <carol@example.org>: User unknown' } },
    );
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'retrying');
    h.clock.advance(750);
    const failed = await h.waitFor((s) => s.items[0]?.state === 'failed');
    expect(failed.items[0]).toMatchObject({
      to: [],
      cc: [CAROL],
      refused: [{ address: CAROL, reply: '550 5.1.1 <carol@example.org>: User unknown' }],
    });
    expect(h.sender.calls.map((c) => c.envelopeTo)).toEqual([[ADA, BOB, CAROL], [CAROL]]);
    expect(await history(h)).toEqual([
      expect.objectContaining({
        id,
        outcome: 'sent',
        refused: [{ address: CAROL, reply: '550 5.1.1 <carol@example.org>: User unknown' }],
      }),
    ]);
  });

  it('a follow-up refused as a whole (552 at DATA) refuses the rest with that reason', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [CAROL]: GREY } }, { reply: '552 5.3.4 Error: message file too big' });
    await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'retrying');
    h.clock.advance(750);
    const failed = await h.waitFor((s) => s.items[0]?.state === 'failed');
    expect(failed.items[0]?.refused).toEqual([
      { address: CAROL, reply: expect.stringMatching(/larger than the server accepts.*552 5\.3\.4/) },
    ]);
    expect(failed.items[0]?.lastError?.message).toMatch(
      /^Sent to 2 of 3 recipients\. Not delivered to carol@example\.org: /,
    );
  });

  it('nobody reached yet and the follow-up fails as a whole: failed, and history still names the earlier refusal', async () => {
    const h = await harness();
    h.sender.script.push(
      { rcpt: { [ADA]: '451 4.3.0 Try later', [BOB]: UNKNOWN, [CAROL]: GREY } },
      { reply: '552 5.3.4 Error: message file too big' },
    );
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'retrying');
    h.clock.advance(750);
    const failed = await h.waitFor((s) => s.items[0]?.state === 'failed');
    expect(failed.items[0]?.lastError?.message).toMatch(/larger than the server accepts/);
    expect(h.sender.calls.map((c) => c.envelopeTo)).toEqual([
      [ADA, BOB, CAROL],
      [ADA, CAROL],
    ]);
    expect(await history(h)).toEqual([
      expect.objectContaining({ id, outcome: 'failed', refused: [{ address: BOB, reply: UNKNOWN }] }),
    ]);
  });

  it('cancelled between transactions: history says who has it, the draft holds the rest', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [CAROL]: GREY } });
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'retrying');
    const answer = await h.service.cancel(id);
    expect(answer.draft).toMatchObject({ to: [], cc: [CAROL], bcc: [] });
    expect(await history(h)).toEqual([
      expect.objectContaining({ id, outcome: 'sent', to: [`Ada <${ADA}>`, `Bob <${BOB}>`] }),
    ]);
    h.clock.advance(60_000);
    expect(h.sender.calls).toHaveLength(1);
  });

  it('a restart in between keeps who is left, sealed on disk, and sends only to them', async () => {
    const h = await harness();
    h.sender.script.push({ rcpt: { [CAROL]: GREY } });
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.state === 'retrying');
    // Who is left lives in the index, sealed: no address or server reply in plain text on disk.
    const index = readFileSync(path.join(h.dataDir, 'outbox-index.bin')).toString('latin1');
    for (const secret of ['ada@', 'bob@', 'carol@', 'Greylisted', 'retrying']) expect(index).not.toContain(secret);
    // The process dies here; a new one starts on the same data.
    const after = await h.restart();
    harnesses.push(after);
    expect(await itemOf(after, id)).toMatchObject({
      state: 'retrying',
      to: [],
      cc: [CAROL],
      deliveredTo: [ADA, BOB],
      lastError: { code: 'smtp.recipients_deferred' },
    });
    after.clock.advance(60_000);
    await after.waitFor((s) => s.items.length === 0);
    expect(after.sender.calls.map((c) => c.envelopeTo)).toEqual([[CAROL]]);
    expect(after.sender.calls[0]?.messageId).toBe(`<${id}@quicksend.test>`);
  });
});
