// The outbox through the mail service's methods, with a manual clock and a scripted SMTP sender:
// undo delay, cancel, backoff, network back, needs-sign-in and resume, an untrusted server
// certificate and its checks, pause, restart, history.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  channels,
  events as eventSchemas,
  resultSchema,
  type EventPayloadOf,
  type OutboxList,
} from '../../../../electron/ipc/contract';
import { ACCOUNT, createHarness, type Harness } from '../../../fakes/mail-harness';
import { untrustedServer } from '../../../fakes/scripted-sender';

const eventSchema = eventSchemas['outbox:changed'];

const harnesses: Harness[] = [];
async function harness(...args: Parameters<typeof createHarness>): Promise<Harness> {
  const h = await createHarness(...args);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.sender.release();
    await h.service.stop();
  }
});

const send = (h: Harness, subject = 'Hello', extra: Record<string, unknown> = {}) =>
  h.service.send({
    accountId: ACCOUNT.id,
    to: ['Friend <friend@example.com>'],
    subject,
    text: `Body of ${subject}`,
    ...extra,
  });
const stateOf = (id: string) => (s: { items: Array<{ id: string; state: string }> }) =>
  s.items.find((i) => i.id === id)?.state;
const gone = (id: string) => (s: { items: Array<{ id: string }> }) => !s.items.some((i) => i.id === id);

describe('mail:send and the undo delay', () => {
  it('answers at once with an id and sendAt, sends after the delay, then deletes and records it', async () => {
    const h = await harness();
    const { id, sendAt } = await send(h);
    expect(new Date(sendAt).getTime()).toBe(h.clock.now() + 5_000);
    expect((await h.service.outbox()).items.map((i) => [i.id, i.state])).toEqual([[id, 'waiting']]);
    h.clock.advance(4_999);
    expect(h.sender.calls).toHaveLength(0);
    h.clock.advance(1);
    await h.waitFor(gone(id));
    expect(h.sender.calls.map((c) => c.messageId)).toEqual([`<${id}@quicksend.test>`]);
    expect(readdirSync(path.join(h.dataDir, 'outbox'))).toEqual([]);
    const [entry] = await h.service.history();
    expect(entry).toMatchObject({
      id,
      outcome: 'sent',
      subject: 'Hello',
      to: ['Friend <friend@example.com>'],
      messageId: `<${id}@quicksend.test>`,
    });
    expect(h.touched).toEqual([ACCOUNT.id]);
    expect(h.service.waitingCount()).toBe(0);
  });

  it('reads the undo delay setting at each send, clamped to 0-30 s', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    const first = await send(h, 'now');
    await h.waitFor(gone(first.id));
    h.undoMs.value = 99_000;
    const second = await send(h, 'later');
    expect(new Date(second.sendAt).getTime() - h.clock.now()).toBe(30_000);
  });

  it('keeps bodies and attachment copies encrypted and owner-only on disk', async () => {
    const h = await harness();
    const file = path.join(h.dataDir, 'secret-plan.txt');
    writeFileSync(file, 'attachment-bytes');
    const { id } = await send(h, 'Top secret subject', { attachments: [{ fileId: h.files.register(file) }] });
    const folder = path.join(h.dataDir, 'outbox', id);
    expect(readdirSync(folder).sort()).toEqual(['att-0', 'message.bin']);
    // The index holds the subject and recipients for the list: sealed like the body.
    for (const file of [path.join(folder, 'message.bin'), path.join(h.dataDir, 'outbox-index.bin')]) {
      const raw = readFileSync(file).toString('latin1');
      expect(raw).not.toContain('Top secret subject');
      expect(raw).not.toContain('Body of');
      expect(raw).not.toContain('friend@example.com');
    }
    expect(statSync(path.join(folder, 'att-0')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(folder, 'att-0')).toString('latin1')).not.toContain('attachment-bytes');
  });

  it('refuses an invalid message without storing anything', async () => {
    const h = await harness();
    await expect(send(h, 'Evil\r\nBcc: x@example.com')).rejects.toMatchObject({
      code: 'mail.line_break_in_header',
      field: 'subject',
    });
    await expect(
      send(h, 'x', { attachments: [{ fileId: h.files.register('/nonexistent/file.pdf') }] }),
    ).rejects.toMatchObject({ code: 'mail.attachment_missing' });
    // An id main never handed out attaches nothing: the whole message is refused.
    await expect(send(h, 'x', { attachments: [{ fileId: 'AAAAAAAAAAAAAAAAAAAAAA' }] })).rejects.toMatchObject({
      code: 'files.unknown_file',
    });
    await expect(
      h.service.send({ accountId: 'nope', to: ['a@example.com'], subject: 's', text: 't' }),
    ).rejects.toMatchObject({ code: 'mail.unknown_account' });
    expect((await h.service.outbox()).items).toEqual([]);
  });
});

describe('outbox:cancel', () => {
  it('undoes a waiting message and returns it as a draft whose files are live ids for the original paths', async () => {
    const h = await harness();
    const file = path.join(h.dataDir, 'a.txt');
    writeFileSync(file, 'abc');
    const { id } = await send(h, 'Oops', { cc: ['cc@example.com'], attachments: [{ fileId: h.files.register(file) }] });
    // Sending paused, then longer than an unheld id lives: the composer cleared its draft at Send.
    await h.service.setPaused(true);
    h.clock.advance(11 * 60_000);
    const answer = await h.service.cancel(id);
    expect(resultSchema(channels['outbox:cancel'].response).safeParse({ ok: true, value: answer }).success).toBe(true);
    expect(answer).toEqual({
      cancelled: true,
      draft: {
        accountId: ACCOUNT.id,
        to: ['Friend <friend@example.com>'],
        cc: ['cc@example.com'],
        bcc: [],
        subject: 'Oops',
        text: 'Body of Oops',
        attachments: [{ fileId: expect.stringMatching(/^[\w-]{22}$/), name: 'a.txt', sizeBytes: 3 }],
      },
    });
    expect(h.files.resolve(answer.draft!.attachments[0]!.fileId)).toBe(file);
    h.clock.advance(60_000);
    expect(h.sender.calls).toHaveLength(0);
    expect(readdirSync(path.join(h.dataDir, 'outbox'))).toEqual([]);
    expect((await h.service.history())[0]).toMatchObject({ id, outcome: 'cancelled' });
    expect(await h.service.cancel(id)).toEqual({ cancelled: false, draft: null });
  });

  it('cannot cancel a message that is being sent', async () => {
    const h = await harness();
    h.sender.script.push('hold');
    const { id } = await send(h);
    h.clock.advance(5_000);
    await h.waitFor((s) => stateOf(id)(s) === 'sending');
    expect(await h.service.cancel(id)).toEqual({ cancelled: false, draft: null });
    h.sender.release();
    await h.waitFor(gone(id));
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter up to the cap on transient failures, then delivers', async () => {
    const h = await harness();
    h.sender.script.push(
      { network: 'ECONNECTION' },
      { reply: '421 4.7.0 Try again later' },
      { reply: '454 4.7.0 busy' },
      { network: 'ETIMEDOUT' },
      { network: 'ETIMEDOUT' },
    );
    h.undoMs.value = 0;
    const { id } = await send(h);
    // random() = 0.5 -> 75% of the nominal delay: 1000, 2000, 4000, 8000 (cap), 8000.
    const expected = [750, 1_500, 3_000, 6_000, 6_000];
    for (const [retry, delay] of expected.entries()) {
      const snapshot = await h.waitFor((s) => s.items[0]?.state === 'retrying' && s.items[0].attempts === retry + 1);
      expect(new Date(snapshot.items[0]!.nextAttemptAt!).getTime() - h.clock.now()).toBe(delay);
      expect(snapshot.items[0]!.lastError?.code).toBe('smtp.transient');
      h.clock.advance(delay);
    }
    await h.waitFor(gone(id));
    expect(h.sender.calls).toHaveLength(6);
  });

  it('retries at once when the network comes back or the machine resumes', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    h.sender.script.push({ network: 'ECONNECTION' }, { network: 'ECONNECTION' });
    const { id } = await send(h);
    await h.waitFor((s) => s.items[0]?.attempts === 1 && s.items[0].state === 'retrying');
    h.network.goOffline();
    h.network.goOnline();
    await h.waitFor((s) => s.items[0]?.attempts === 2 && s.items[0].state === 'retrying');
    h.network.resume();
    await h.waitFor(gone(id));
    expect(h.sender.calls).toHaveLength(3);
    expect(h.sender.closed.filter((c) => c === '*').length).toBeGreaterThanOrEqual(2);
  });

  it('does not attempt while offline', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    h.network.goOffline();
    const { id } = await send(h);
    h.clock.advance(30_000);
    expect(h.sender.calls).toHaveLength(0);
    h.network.goOnline();
    await h.waitFor(gone(id));
  });

  it('marks a permanent failure failed, records it, and sends again on retryNow', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    h.sender.script.push({ reply: '552 5.3.4 Error: message file too big' });
    const { id } = await send(h);
    const failed = await h.waitFor((s) => stateOf(id)(s) === 'failed');
    expect(failed.items[0]?.lastError).toMatchObject({ code: 'smtp.permanent' });
    expect(h.service.waitingCount()).toBe(0);
    expect((await h.service.history())[0]).toMatchObject({ outcome: 'failed', error: { code: 'smtp.permanent' } });
    expect(await h.service.retryNow(id)).toEqual({ scheduled: true });
    await h.waitFor(gone(id));
  });
});

describe('needs sign-in', () => {
  it('parks every message of the account, tells the account side, and sends on resumeAccount', async () => {
    const h = await harness();
    h.undoMs.value = 1_000;
    h.sender.script.push('hold', { reply: '535 5.7.8 Username and Password not accepted' });
    for (const subject of ['first', 'second', 'third']) await send(h, subject);
    h.clock.advance(1_000); // one is held open, the other gets the (final) 535, third is parked
    await h.waitFor((s) => s.items.filter((i) => i.state === 'needs-sign-in').length === 2);
    h.sender.release({ reply: '535 5.7.8 Username and Password not accepted' });
    const parked = await h.waitFor((s) => s.items.length === 3 && s.items.every((i) => i.state === 'needs-sign-in'));
    expect(parked.items.map((i) => i.lastError?.code)).toEqual(['smtp.auth', 'smtp.auth', 'smtp.auth']);
    expect(h.sender.calls.map((c) => c.subject).sort()).toEqual(['first', 'second']); // both start together
    expect(h.needsSignIn).toEqual([ACCOUNT.id, ACCOUNT.id]);
    expect(h.service.waitingCount()).toBe(3);
    h.clock.advance(3_600_000);
    expect(h.sender.calls).toHaveLength(2); // waiting, not retrying
    expect(await h.service.resumeAccount(ACCOUNT.id)).toBe(3);
    await h.waitFor((s) => s.items.length === 0);
    expect(
      h.sender.calls
        .slice(2)
        .map((c) => c.subject)
        .sort(),
    ).toEqual(['first', 'second', 'third']);
    expect(h.sender.closed).toContain(ACCOUNT.id);
  });
});

describe('server not trusted (certificate)', () => {
  it('parks with the explanation, never retries on a timer, and sends once a check after a network change passes', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    h.sender.script.push({ untrustedServer: true });
    const { id } = await send(h, 'first');
    const parked = await h.waitFor((s) => stateOf(id)(s) === 'untrusted-server');
    expect(parked.items[0]).toMatchObject({
      attempts: 1,
      nextAttemptAt: null,
      lastError: { code: 'smtp.certificate_untrusted', message: untrustedServer.message, hint: untrustedServer.hint },
    });
    expect(h.service.waitingCount()).toBe(1);
    h.clock.advance(24 * 3_600_000);
    expect(h.sender.calls).toHaveLength(1); // waiting for a check, not for a timer
    expect(h.needsSignIn).toEqual([]);

    // Back online, but the server still shows an untrusted certificate (a captive portal): stays parked, explained anew.
    h.sender.serverVerdicts.push({ verdict: 'untrusted', error: { ...untrustedServer, message: 'The portal again.' } });
    h.network.goOnline();
    await h.waitFor((s) => s.items[0]?.lastError?.message === 'The portal again.');
    expect(stateOf(id)(await h.service.outbox())).toBe('untrusted-server');
    expect(h.sender.calls).toHaveLength(1);

    // Resumed from sleep, and now the check passes: the message goes.
    h.network.resume();
    await h.waitFor(gone(id));
    expect(h.sender.checks).toEqual([ACCOUNT.id, ACCOUNT.id]);
    expect(h.sender.calls.map((c) => c.subject)).toEqual(['first', 'first']);
  });

  it('lets the messages go when the check cannot reach the server (ordinary sending decides then)', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    h.sender.script.push({ untrustedServer: true });
    const { id } = await send(h);
    await h.waitFor((s) => stateOf(id)(s) === 'untrusted-server');
    h.sender.serverVerdicts.push({
      verdict: 'unknown',
      error: { ...untrustedServer, class: 'transient', action: 'retry', code: 'smtp.transient' },
    });
    h.network.goOnline();
    await h.waitFor(gone(id));
  });

  it("sends at once after the account's CA changed (resumeServer) and checks again after a restart", async () => {
    const h = await harness();
    h.undoMs.value = 0;
    h.sender.script.push({ untrustedServer: true }, { untrustedServer: true });
    const a = await send(h, 'a');
    await h.waitFor((s) => stateOf(a.id)(s) === 'untrusted-server');
    expect(await h.service.resumeServer(ACCOUNT.id)).toBe(1);
    expect(h.sender.closed).toContain(ACCOUNT.id); // the pool with the old trust is gone
    await h.waitFor((s) => stateOf(a.id)(s) === 'untrusted-server' && (s.items[0]?.attempts ?? 0) === 2);
    const after = await h.restart();
    harnesses.push(after);
    await after.waitFor(gone(a.id)); // the new process checked the server (trusted) and sent it
    expect(after.sender.checks).toEqual([ACCOUNT.id]);
  });
});

describe('pause and resume', () => {
  it('holds everything while paused, shows it, remembers it across a restart, and sends on resume', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    expect(await h.service.setPaused(true)).toEqual({ paused: true });
    const { id } = await send(h);
    const snapshot = await h.waitFor((s) => s.paused && stateOf(id)(s) === 'paused');
    expect(snapshot.items[0]?.state).toBe('paused');
    h.clock.advance(60_000);
    expect(h.sender.calls).toHaveLength(0);
    await h.service.stop();
    const again = await h.restart();
    harnesses.push(again);
    expect((await again.service.outbox()).items.map((i) => [i.id, i.state])).toEqual([[id, 'paused']]);
    again.clock.advance(60_000);
    expect(again.sender.calls).toHaveLength(0);
  });

  it('sends what waited once resumed', async () => {
    const h = await harness();
    h.undoMs.value = 0;
    await h.service.setPaused(true);
    const { id } = await send(h);
    expect(await h.service.setPaused(false)).toEqual({ paused: false });
    await h.waitFor(gone(id));
  });
});

describe('restart', () => {
  it('resumes waiting messages and resends one that was in flight when the process died', async () => {
    const h = await harness();
    h.sender.script.push('hold');
    const inFlight = await send(h, 'in flight');
    h.clock.advance(5_000);
    await h.waitFor((s) => stateOf(inFlight.id)(s) === 'sending');
    const waiting = await send(h, 'waiting');
    // The process dies here: no stop(), the held send never answers.
    const after = await h.restart();
    harnesses.push(after);
    const list = await after.service.outbox();
    // Resent at once on restart (it may already show as sending again); the other keeps its delay.
    expect(
      list.items.map((i) => [i.subject, ['retrying', 'sending'].includes(i.state) ? 'resending' : i.state]),
    ).toEqual([
      ['in flight', 'resending'],
      ['waiting', 'waiting'],
    ]);
    await after.waitFor((s) => !s.items.some((i) => i.id === inFlight.id));
    after.clock.advance(5_000);
    await after.waitFor((s) => s.items.length === 0);
    expect(after.sender.calls.map((c) => c.subject)).toEqual(['in flight', 'waiting']);
    expect(after.sender.calls[0]?.messageId).toBe(`<${inFlight.id}@quicksend.test>`); // same Message-ID as the first try
    expect(waiting.id).not.toBe(inFlight.id);
  });

  it('sweeps a half-written message left by a crash during mail:send', async () => {
    const h = await harness();
    const stray = path.join(h.dataDir, 'outbox', '.incoming-crashed');
    mkdirSync(stray, { recursive: true });
    writeFileSync(path.join(stray, 'message.bin'), 'partial');
    const after = await h.restart();
    harnesses.push(after);
    expect(readdirSync(path.join(h.dataDir, 'outbox'))).toEqual([]);
    expect((await after.service.outbox()).items).toEqual([]);
  });
});

describe('history', () => {
  it('keeps metadata only, newest first, bounded', async () => {
    const h = await harness({ historyLimit: 3 });
    h.undoMs.value = 0;
    for (const subject of ['one', 'two', 'three', 'four', 'five']) {
      const { id } = await send(h, subject);
      await h.waitFor(gone(id));
    }
    const history = await h.service.history();
    expect(history.map((e) => e.subject)).toEqual(['five', 'four', 'three']);
    expect(JSON.stringify(history)).not.toContain('Body of');
    expect(await h.service.history(1)).toHaveLength(1);
    expect(readFileSync(path.join(h.dataDir, 'history.bin')).toString('latin1')).not.toContain('five');
  });
});

describe('outbox:changed', () => {
  type Changed = EventPayloadOf<'outbox:changed'>;
  const list = (h: Harness) => h.service.outbox();
  /** The list after the events, applied as a window applies them (each must be the next revision). */
  function applied(start: OutboxList, events: Changed[]): OutboxList {
    let at = start;
    for (const event of events) {
      expect(event.revision).toBe(at.revision + 1);
      const items = new Map(at.items.map((i) => [i.id, i]));
      for (const change of event.changes) {
        if (change.type === 'removed') expect(items.delete(change.id)).toBe(true);
        else {
          expect(items.has(change.item.id)).toBe(change.type === 'updated');
          items.set(change.item.id, change.item);
        }
      }
      at = { items: [...items.values()], paused: event.paused, revision: event.revision };
    }
    return at;
  }

  it('carries only what changed, with consecutive revisions; applied to the list they give the list', async () => {
    const h = await harness();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await send(h, `m${i}`)).id);
    const before = await list(h);
    expect(before.items).toHaveLength(30);
    const events: Changed[] = [];
    h.events.on('outbox:changed', (e) => void events.push(e));

    await h.service.cancel(ids[3]!);
    await h.waitFor(gone(ids[3]!));
    // One message changed: one change on the wire, whatever the outbox holds.
    expect(events.flatMap((e) => e.changes)).toEqual([{ type: 'removed', id: ids[3] }]);
    h.undoMs.value = 0;
    const late = await send(h, 'late');
    await h.waitFor(gone(late.id)); // added, sent, removed
    await h.service.setPaused(true);
    await h.waitFor((s) => s.paused);

    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(eventSchema.safeParse(event).success).toBe(true);
    const after = await list(h);
    const replayed = applied(before, events);
    expect(replayed.revision).toBe(after.revision);
    expect(replayed.paused).toBe(true);
    const byId = (l: OutboxList) => [...l.items].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(replayed)).toEqual(byId(after));
    expect(after.items.every((i) => i.state === 'paused')).toBe(true);
  });

  it('an outbox:list answer includes every change made before it, and later events follow on from its revision', async () => {
    const h = await harness();
    const events: Changed[] = [];
    h.events.on('outbox:changed', (e) => void events.push(e));
    const { id } = await send(h, 'fresh');
    // Asked before the tick's event went out: the list has the message, the event comes with it.
    const listed = await list(h);
    expect(listed.items.map((i) => i.id)).toEqual([id]);
    expect(events.at(-1)).toEqual({
      revision: listed.revision,
      paused: false,
      changes: [{ type: 'added', item: listed.items[0] }],
    });
    await h.service.cancel(id);
    await h.waitFor(gone(id));
    expect(events.at(-1)).toEqual({ revision: listed.revision + 1, paused: false, changes: [{ type: 'removed', id }] });
  });

  it('a restart lists what waits and numbers its events on from that list', async () => {
    const h = await harness();
    const { id } = await send(h, 'kept');
    const after = await h.restart();
    harnesses.push(after);
    const listed = await list(after);
    expect(listed.items.map((i) => [i.id, i.state])).toEqual([[id, 'waiting']]);
    const events: Changed[] = [];
    after.events.on('outbox:changed', (e) => void events.push(e));
    after.clock.advance(5_000);
    await after.waitFor(gone(id));
    expect(applied(listed, events).items).toEqual([]);
  });
});
