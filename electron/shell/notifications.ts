/**
 * Which desktop notifications a change deserves: a message sent, a message that failed for
 * good (with the plain-words reason), and an account that needs signing in again. Derived
 * from consecutive `outbox:changed` / `accounts:changed` snapshots, so the core needs no
 * knowledge of notifications. Each names the view a click opens. Bodies never contain the
 * message text: notifications can show on a locked screen.
 */
import type { Account, HistoryEntry, OutboxItem } from '../ipc/contract';

export type NotificationView = 'compose' | 'accounts' | 'outbox' | 'settings';
export type ShellNotification = { title: string; body: string; view: NotificationView };

/** More at once than this are summed up in one notification. */
export const MAX_SEPARATE_NOTIFICATIONS = 3;
const SUBJECT_SHOWN = 80;

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const subjectOf = (subject: string) => (subject.trim() ? `“${shorten(subject.trim(), SUBJECT_SHOWN)}”` : 'A message without a subject');
const recipients = (to: readonly string[]) => (to.length <= 2 ? to.join(', ') : `${to.slice(0, 2).join(', ')} and ${to.length - 2} more`);

export type OutboxDiff = {
  /** Items that reached `failed` since the previous snapshot. */
  failed: OutboxItem[];
  /** Ids that were being sent and are gone now: sent, most likely (the history says). */
  finished: string[];
};

/** Compares two outbox snapshots; the first snapshot (previous null) reports nothing. */
export function diffOutbox(previous: readonly OutboxItem[] | null, next: readonly OutboxItem[]): OutboxDiff {
  if (previous === null) return { failed: [], finished: [] };
  const before = new Map(previous.map((item) => [item.id, item]));
  const nextIds = new Set(next.map((item) => item.id));
  return {
    failed: next.filter((item) => item.state === 'failed' && before.get(item.id)?.state !== 'failed'),
    finished: previous.filter((item) => item.state === 'sending' && !nextIds.has(item.id)).map((item) => item.id),
  };
}

export function failedNotifications(items: readonly OutboxItem[]): ShellNotification[] {
  if (items.length === 0) return [];
  if (items.length > MAX_SEPARATE_NOTIFICATIONS) {
    return [{ title: `${items.length} messages were not sent`, body: 'Open the outbox to see why and to retry them.', view: 'outbox' }];
  }
  return items.map((item) => ({
    title: `Not sent: ${subjectOf(item.subject)}`,
    body: [item.lastError?.message ?? 'The server did not accept it.', item.lastError?.hint ?? ''].filter(Boolean).join(' '),
    view: 'outbox' as const,
  }));
}

/** Notifications for history entries of messages that just went out. */
export function sentNotifications(entries: readonly HistoryEntry[]): ShellNotification[] {
  const sent = entries.filter((e) => e.outcome === 'sent');
  if (sent.length === 0) return [];
  if (sent.length > MAX_SEPARATE_NOTIFICATIONS) return [{ title: `${sent.length} messages sent`, body: 'See them under Sent in the outbox.', view: 'outbox' }];
  return sent.map((entry) => ({ title: `Sent: ${subjectOf(entry.subject)}`, body: `To ${recipients(entry.to)}`, view: 'outbox' as const }));
}

/** Accounts that turned `needs-sign-in` since the previous snapshot. */
export function signInNotifications(
  previous: readonly Pick<Account, 'id' | 'address' | 'health'>[] | null,
  next: readonly Pick<Account, 'id' | 'address' | 'health'>[],
): ShellNotification[] {
  const before = new Map((previous ?? []).map((a) => [a.id, a.health]));
  // On the first snapshot, an account that already needs sign-in is worth one reminder.
  const turned = next.filter((a) => a.health === 'needs-sign-in' && before.get(a.id) !== 'needs-sign-in');
  if (turned.length === 0) return [];
  if (turned.length > MAX_SEPARATE_NOTIFICATIONS) {
    return [{ title: `${turned.length} accounts need you to sign in again`, body: 'Messages from them wait in the outbox until you do.', view: 'accounts' }];
  }
  return turned.map((account) => ({
    title: 'Sign in again to keep sending',
    body: `${account.address}: messages from this account wait in the outbox until you sign in again.`,
    view: 'accounts' as const,
  }));
}

const VIEWS = new Set<NotificationView>(['compose', 'accounts', 'outbox', 'settings']);

/** The core's `Notifier` port may name a target; only our views are accepted. */
export function viewForTarget(target: string | undefined): NotificationView | null {
  return target !== undefined && VIEWS.has(target as NotificationView) ? (target as NotificationView) : null;
}
