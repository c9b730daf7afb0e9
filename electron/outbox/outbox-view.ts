/**
 * How outbox entries look across IPC: `outbox:list` items (metadata the person wrote, shown
 * only in our own windows) and the draft `outbox:cancel` hands back to the composer. Once a
 * server took some recipients, both list only the others: the item is the message as it still
 * has to go out (or was refused), and the draft is what "Write again" puts in the composer.
 */
import type { DraftAtRest } from '../drafts/draft-store';
import type { OutboxItem } from '../ipc/contract';
import { formatMailbox } from '../mail/addresses';
import { envelopeRecipients, onlyRecipients } from '../mail/envelope';
import type { IndexedMessage } from './outbox-index';
import type { StoredMessage, StoredState } from './outbox-store';
import { viaOf } from './relayed-messages';

/** One message as the worker holds it in memory (its body stays on disk). */
export type OutboxEntry = { id: string; message: IndexedMessage; state: StoredState; inFlight: boolean };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** To, Cc and Bcc without the recipients that already have the message. */
export function undelivered(
  message: Pick<StoredMessage, 'to' | 'cc' | 'bcc'>,
  delivered: readonly string[] = [],
): Pick<StoredMessage, 'to' | 'cc' | 'bcc'> {
  if (delivered.length === 0) return message;
  const done = new Set(delivered);
  return onlyRecipients(message, new Set(envelopeRecipients(message).filter((a) => !done.has(a))));
}

/** The list item; waiting and retrying messages show as `paused` while sending is paused. */
export function itemOf(entry: OutboxEntry, paused: boolean): OutboxItem {
  const { message, state } = entry;
  const shown = entry.inFlight
    ? 'sending'
    : paused && (state.state === 'waiting' || state.state === 'retrying')
      ? 'paused'
      : state.state;
  const left = undelivered(message, state.recipients?.delivered);
  return {
    id: entry.id,
    accountId: message.accountId,
    from: formatMailbox(message.from),
    to: left.to.map(formatMailbox),
    cc: left.cc.map(formatMailbox),
    bcc: left.bcc.map(formatMailbox),
    subject: message.subject,
    attachmentNames: message.attachmentNames,
    sizeBytes: message.sizeBytes,
    state: shown,
    attempts: state.attempts,
    createdAt: new Date(message.createdAt).toISOString(),
    nextAttemptAt: entry.inFlight ? null : iso(state.nextAttemptAt),
    lastError: state.lastError,
    ...(state.recipients ? { deliveredTo: state.recipients.delivered, refused: state.recipients.refused } : {}),
    ...viaOf(message),
  };
}

/**

 * The message as a draft again, with the original attachment paths (the copies are deleted),
 * addressed to everyone who does not have it yet; main's own record: the window gets file ids
 * for them (mail-service's `outbox:cancel`).
 */
export function draftOf(message: StoredMessage, delivered: readonly string[] = []): DraftAtRest {
  const left = undelivered(message, delivered);
  return {
    accountId: message.accountId,
    to: left.to.map(formatMailbox),
    cc: left.cc.map(formatMailbox),
    bcc: left.bcc.map(formatMailbox),
    subject: message.subject,
    text: message.text,
    attachments: message.attachments.map((a) => ({ path: a.originalPath, name: a.name, sizeBytes: a.sizeBytes })),
  };
}
