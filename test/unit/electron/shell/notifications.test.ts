import { expect, test } from 'vitest';
import type { HistoryEntry, OutboxItem } from '../../../../electron/ipc/contract';
import { diffOutbox, failedNotifications, sentNotifications, signInNotifications, viewForTarget } from '../../../../electron/shell/notifications';

const item = (id: string, state: OutboxItem['state'], extra: Partial<OutboxItem> = {}): OutboxItem => ({
  id, accountId: 'a', from: 'ada@example.com', to: ['bob@example.com'], cc: [], bcc: [], subject: `Subject ${id}`, attachmentNames: [], sizeBytes: 10,
  state, attempts: 1, createdAt: '2025-01-01T00:00:00.000Z', nextAttemptAt: null, lastError: null, ...extra,
});
const entry = (id: string, outcome: HistoryEntry['outcome'], to = ['bob@example.com']): HistoryEntry => ({
  id, time: '2025-01-01T00:00:00.000Z', accountId: 'a', from: 'ada@example.com', to, subject: `Subject ${id}`, sizeBytes: 1, messageId: null, outcome, error: null,
});

test('the first snapshot reports nothing', () => {
  expect(diffOutbox(null, [item('1', 'failed')])).toEqual({ failed: [], finished: [] });
});

test('items that reach failed, and items that left while being sent', () => {
  const diff = diffOutbox([item('1', 'sending'), item('2', 'retrying'), item('3', 'failed'), item('4', 'waiting')], [item('2', 'failed'), item('3', 'failed')]);
  expect(diff.failed.map((i) => i.id)).toEqual(['2']);
  // 4 left while waiting: cancelled, not sent.
  expect(diff.finished).toEqual(['1']);
});

test('failed: the plain-words reason and hint; click opens the outbox', () => {
  const [n] = failedNotifications([item('1', 'failed', { lastError: { code: 'smtp.rejected', message: 'Microsoft refused SMTP sign-in for this mailbox.', hint: 'Ask your admin to enable SMTP AUTH.' } })]);
  expect(n).toEqual({ title: 'Not sent: “Subject 1”', body: 'Microsoft refused SMTP sign-in for this mailbox. Ask your admin to enable SMTP AUTH.', view: 'outbox' });
  expect(failedNotifications([item('1', 'failed', { subject: '' })])[0]!.title).toBe('Not sent: A message without a subject');
});

test('sent: subject and recipients, never the body; only "sent" outcomes', () => {
  expect(sentNotifications([entry('1', 'sent', ['a@x.example', 'b@x.example', 'c@x.example']), entry('2', 'cancelled')])).toEqual([
    { title: 'Sent: “Subject 1”', body: 'To a@x.example, b@x.example and 1 more', view: 'outbox' },
  ]);
});

test('long subjects are shortened', () => {
  expect(sentNotifications([{ ...entry('1', 'sent'), subject: 'x'.repeat(500) }])[0]!.title.length).toBeLessThan(100);
});

test('bursts are summed up', () => {
  expect(sentNotifications(['1', '2', '3', '4'].map((id) => entry(id, 'sent')))).toEqual([{ title: '4 messages sent', body: 'See them under Sent in the outbox.', view: 'outbox' }]);
  expect(failedNotifications(['1', '2', '3', '4', '5'].map((id) => item(id, 'failed')))).toHaveLength(1);
});

test('needs sign-in: only on the change; click opens accounts', () => {
  const ok = { id: 'a', address: 'ada@example.com', health: 'ready' as const };
  const bad = { ...ok, health: 'needs-sign-in' as const };
  expect(signInNotifications([ok], [bad])).toEqual([{ title: 'Sign in again to keep sending', body: 'ada@example.com: messages from this account wait in the outbox until you sign in again.', view: 'accounts' }]);
  expect(signInNotifications([bad], [bad])).toEqual([]);
  expect(signInNotifications(null, [bad])).toHaveLength(1);
  expect(signInNotifications([bad], [ok])).toEqual([]);
});

test('targets from the core map to our views only', () => {
  expect(viewForTarget('outbox')).toBe('outbox');
  expect(viewForTarget('https://evil.example')).toBeNull();
  expect(viewForTarget(undefined)).toBeNull();
});
