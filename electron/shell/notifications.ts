/**
 * Which desktop notifications a change deserves: a message sent, a message that failed for
 * good (with the plain-words reason), a message sent to some recipients and refused by the
 * server for others (each named with the server's reply), and an account that needs signing
 * in again. Derived
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
const subjectOf = (subject: string) =>
  subject.trim() ? `“${shorten(subject.trim(), SUBJECT_SHOWN)}”` : 'A message without a subject';
const recipients = (to: readonly string[]) =>
  to.length <= 2 ? to.join(', ') : `${to.slice(0, 2).join(', ')} and ${to.length - 2} more`;

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

/** Refused recipients named in one notification; the rest are counted. */
const REFUSED_SHOWN = 2;
const REPLY_SHOWN = 120;

/** Failed, but the server took it for some recipients: "Sent to 2 of 3 recipients. Not delivered to ..." */
const partlySent = (item: OutboxItem) => (item.deliveredTo?.length ?? 0) > 0 && (item.refused?.length ?? 0) > 0;

/**
 * The server took the message for some recipients and refused it for others: says how many
 * got it and names each refused address with the server's reply (shortened), so the person
 * can act on a typo without opening anything. Click opens the outbox ("Write again").
 */
export function partlySentNotification(item: OutboxItem): ShellNotification {
  const refused = item.refused ?? [];
  const delivered = item.deliveredTo?.length ?? 0;
  const named = refused
    .slice(0, REFUSED_SHOWN)
    .map((r) => `Not delivered to ${r.address}: the server said "${shorten(r.reply, REPLY_SHOWN)}".`);
  const more = refused.length - REFUSED_SHOWN;
  if (more > 0) named.push(`${more} more ${more === 1 ? 'recipient was' : 'recipients were'} refused too.`);
  return {
    title: `Partly sent: ${subjectOf(item.subject)}`,
    body: `Sent to ${delivered} of ${delivered + refused.length} recipients. ${named.join(' ')}`,
    view: 'outbox',
  };
}

export function failedNotifications(items: readonly OutboxItem[]): ShellNotification[] {
  if (items.length === 0) return [];
  if (items.length > MAX_SEPARATE_NOTIFICATIONS) {
    const title = items.some(partlySent)
      ? `${items.length} messages were not delivered to every recipient`
      : `${items.length} messages were not sent`;
    return [{ title, body: 'Open the outbox to see why and to retry them.', view: 'outbox' }];
  }
  return items.map((item) =>
    partlySent(item)
      ? partlySentNotification(item)
      : {
          title: `Not sent: ${subjectOf(item.subject)}`,
          body: [item.lastError?.message ?? 'The server did not accept it.', item.lastError?.hint ?? '']
            .filter(Boolean)
            .join(' '),
          view: 'outbox' as const,
        },
  );
}

/** Notifications for history entries of messages that just went out. */
export function sentNotifications(entries: readonly HistoryEntry[]): ShellNotification[] {
  const sent = entries.filter((e) => e.outcome === 'sent');
  if (sent.length === 0) return [];
  if (sent.length > MAX_SEPARATE_NOTIFICATIONS)
    return [{ title: `${sent.length} messages sent`, body: 'See them under Sent in the outbox.', view: 'outbox' }];
  return sent.map((entry) => ({
    title: `Sent: ${subjectOf(entry.subject)}`,
    body: `To ${recipients(entry.to)}`,
    view: 'outbox' as const,
  }));
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
    return [
      {
        title: `${turned.length} accounts need you to sign in again`,
        body: 'Messages from them wait in the outbox until you do.',
        view: 'accounts',
      },
    ];
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
