import { expect, test } from 'vitest';
import type { HistoryEntry, OutboxItem } from '../../../../electron/ipc/contract';
import {
  diffOutbox,
  failedNotifications,
  partlySentNotification,
  sentNotifications,
  signInNotifications,
  viewForTarget,
} from '../../../../electron/shell/notifications';

const item = (id: string, state: OutboxItem['state'], extra: Partial<OutboxItem> = {}): OutboxItem => ({
  id,
  accountId: 'a',
  from: 'ada@example.com',
  to: ['bob@example.com'],
  cc: [],
  bcc: [],
  subject: `Subject ${id}`,
  attachmentNames: [],
  sizeBytes: 10,
  state,
  attempts: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  nextAttemptAt: null,
  lastError: null,
  ...extra,
});
const entry = (id: string, outcome: HistoryEntry['outcome'], to = ['bob@example.com']): HistoryEntry => ({
  id,
  time: '2025-01-01T00:00:00.000Z',
  accountId: 'a',
  from: 'ada@example.com',
  to,
  subject: `Subject ${id}`,
  sizeBytes: 1,
  messageId: null,
  outcome,
  error: null,
});

test('the first snapshot reports nothing', () => {
  expect(diffOutbox(null, [item('1', 'failed')])).toEqual({ failed: [], finished: [] });
});

test('items that reach failed, and items that left while being sent', () => {
  const diff = diffOutbox(
    [item('1', 'sending'), item('2', 'retrying'), item('3', 'failed'), item('4', 'waiting')],
    [item('2', 'failed'), item('3', 'failed')],
  );
  expect(diff.failed.map((i) => i.id)).toEqual(['2']);
  // 4 left while waiting: cancelled, not sent.
  expect(diff.finished).toEqual(['1']);
});

test('failed: the plain-words reason and hint; click opens the outbox', () => {
  const [n] = failedNotifications([
    item('1', 'failed', {
      lastError: {
        code: 'smtp.permanent',
        message: 'Microsoft refused SMTP sign-in for this mailbox.',
        hint: 'Ask your admin to enable SMTP AUTH.',
      },
    }),
  ]);
  expect(n).toEqual({
    title: 'Not sent: “Subject 1”',
    body: 'Microsoft refused SMTP sign-in for this mailbox. Ask your admin to enable SMTP AUTH.',
    view: 'outbox',
  });
  expect(failedNotifications([item('1', 'failed', { subject: '' })])[0]!.title).toBe(
    'Not sent: A message without a subject',
  );
});

test('partly sent: how many got it, and each refused address with the server reply; click opens the outbox', () => {
  const partial = item('1', 'failed', {
    subject: 'Minutes',
    to: ['bob@example.org'],
    deliveredTo: ['ada@example.org', 'carol@example.org'],
    refused: [{ address: 'bob@example.org', reply: '550 5.1.1 User unknown' }],
    lastError: { code: 'smtp.recipients_refused', message: 'Sent to 2 of 3 recipients. ...' },
  });
  expect(failedNotifications([partial])).toEqual([
    {
      title: 'Partly sent: “Minutes”',
      body: 'Sent to 2 of 3 recipients. Not delivered to bob@example.org: the server said "550 5.1.1 User unknown".',
      view: 'outbox',
    },
  ]);
  // Every recipient refused is not "partly sent": the message failed, its error names them.
  const none = item('2', 'failed', {
    deliveredTo: [],
    refused: [{ address: 'bob@example.com', reply: '550 5.1.1 User unknown' }],
    lastError: {
      code: 'smtp.recipients_refused',
      message: 'Not delivered to bob@example.com: the server said "550 5.1.1 User unknown".',
    },
  });
  expect(failedNotifications([none])[0]).toEqual({
    title: 'Not sent: “Subject 2”',
    body: 'Not delivered to bob@example.com: the server said "550 5.1.1 User unknown".',
    view: 'outbox',
  });
});

test('partly sent: long replies are shortened and many refused recipients counted', () => {
  const refused = ['b', 'c', 'd', 'e'].map((n) => ({
    address: `${n}@example.org`,
    reply: `550 5.1.1 ${'x'.repeat(400)}`,
  }));
  const n = partlySentNotification(item('1', 'failed', { deliveredTo: ['a@example.org'], refused }));
  expect(
    n.body.startsWith('Sent to 1 of 5 recipients. Not delivered to b@example.org: the server said "550 5.1.1 xxx'),
  ).toBe(true);
  expect(n.body).toContain('Not delivered to c@example.org');
  expect(n.body).not.toContain('d@example.org');
  expect(n.body.endsWith('2 more recipients were refused too.')).toBe(true);
  expect(n.body.length).toBeLessThan(450); // 1,600 characters unshortened
  expect(
    failedNotifications(
      ['1', '2', '3', '4'].map((id) => item(id, 'failed', { deliveredTo: ['a@example.org'], refused })),
    )[0]!.title,
  ).toBe('4 messages were not delivered to every recipient');
});

test('sent: subject and recipients, never the body; only "sent" outcomes', () => {
  expect(
    sentNotifications([entry('1', 'sent', ['a@x.example', 'b@x.example', 'c@x.example']), entry('2', 'cancelled')]),
  ).toEqual([{ title: 'Sent: “Subject 1”', body: 'To a@x.example, b@x.example and 1 more', view: 'outbox' }]);
});

test('long subjects are shortened', () => {
  expect(sentNotifications([{ ...entry('1', 'sent'), subject: 'x'.repeat(500) }])[0]!.title.length).toBeLessThan(100);
});

test('bursts are summed up', () => {
  expect(sentNotifications(['1', '2', '3', '4'].map((id) => entry(id, 'sent')))).toEqual([
    { title: '4 messages sent', body: 'See them under Sent in the outbox.', view: 'outbox' },
  ]);
  expect(failedNotifications(['1', '2', '3', '4', '5'].map((id) => item(id, 'failed')))).toHaveLength(1);
});

test('needs sign-in: only on the change; click opens accounts', () => {
  const ok = { id: 'a', address: 'ada@example.com', health: 'ready' as const };
  const bad = { ...ok, health: 'needs-sign-in' as const };
  expect(signInNotifications([ok], [bad])).toEqual([
    {
      title: 'Sign in again to keep sending',
      body: 'ada@example.com: messages from this account wait in the outbox until you sign in again.',
      view: 'accounts',
    },
  ]);
  expect(signInNotifications([bad], [bad])).toEqual([]);
  expect(signInNotifications(null, [bad])).toHaveLength(1);
  expect(signInNotifications([bad], [ok])).toEqual([]);
});

test('targets from the core map to our views only', () => {
  expect(viewForTarget('outbox')).toBe('outbox');
  expect(viewForTarget('https://evil.example')).toBeNull();
  expect(viewForTarget(undefined)).toBeNull();
});
