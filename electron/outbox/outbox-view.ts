/**
 * How outbox entries look across IPC: `outbox:list` items (metadata the person wrote, shown
 * only in our own windows) and the draft `outbox:cancel` hands back to the composer.
 */
import type { DraftAtRest } from '../drafts/draft-store';
import type { OutboxItem } from '../ipc/contract';
import { formatMailbox } from '../mail/addresses';
import type { StoredMessage, StoredState } from './outbox-store';

/** One message as the worker holds it in memory. */
export type OutboxEntry = { id: string; message: StoredMessage; state: StoredState; inFlight: boolean };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The list item; waiting and retrying messages show as `paused` while sending is paused. */
export function itemOf(entry: OutboxEntry, paused: boolean): OutboxItem {
  const { message, state } = entry;
  const shown = entry.inFlight ? 'sending' : paused && (state.state === 'waiting' || state.state === 'retrying') ? 'paused' : state.state;
  return {
    id: entry.id,
    accountId: message.accountId,
    from: formatMailbox(message.from),
    to: message.to.map(formatMailbox),
    cc: message.cc.map(formatMailbox),
    bcc: message.bcc.map(formatMailbox),
    subject: message.subject,
    attachmentNames: message.attachments.map((a) => a.name),
    sizeBytes: message.sizeBytes,
    state: shown,
    attempts: state.attempts,
    createdAt: new Date(message.createdAt).toISOString(),
    nextAttemptAt: entry.inFlight ? null : iso(state.nextAttemptAt),
    lastError: state.lastError,
  };
}

/**
 * The message as a draft again, with the original attachment paths (the copies are deleted);
 * main's own record: the window gets file ids for them (mail-service's `outbox:cancel`).
 */
export function draftOf(message: StoredMessage): DraftAtRest {
  return {
    accountId: message.accountId,
    to: message.to.map(formatMailbox),
    cc: message.cc.map(formatMailbox),
    bcc: message.bcc.map(formatMailbox),
    subject: message.subject,
    text: message.text,
    attachments: message.attachments.map((a) => ({ path: a.originalPath, name: a.name, sizeBytes: a.sizeBytes })),
  };
}
