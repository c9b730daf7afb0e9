/**
 * The composer's model, separate from React so the rules are unit-tested: what a draft and a
 * send request look like (one builds the other), when a message is empty, and what stops a send
 * (with the message shown next to each field). Limits and sizes are the message rules main
 * applies too (electron/mail/message-rules.ts), so what passes here is what `mail:send` takes.
 */
import type { Account, Draft, FileInfo, RequestOf } from '../../../electron/ipc/contract';
import { encodedMessageSize, formatBytes, MESSAGE_LIMITS } from '../../../electron/mail/message-rules';
import { formatRecipient, recipientsFromStrings, type Recipient } from './recipients';

/** An attached file as the composer knows it: main's file id, never a path. */
export type Attachment = Pick<FileInfo, 'fileId' | 'name' | 'sizeBytes'>;

export type ComposeState = {
  accountId: string | null;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  subject: string;
  text: string;
  attachments: Attachment[];
};

export type Field = 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'text' | 'attachments';
export type FieldErrors = Partial<Record<Field, string>>;

export const emptyCompose: ComposeState = {
  accountId: null,
  to: [],
  cc: [],
  bcc: [],
  subject: '',
  text: '',
  attachments: [],
};

export function isEmpty(state: ComposeState): boolean {
  return (
    !state.to.length &&
    !state.cc.length &&
    !state.bcc.length &&
    !state.subject.trim() &&
    !state.text.trim() &&
    !state.attachments.length
  );
}

/** The message as a draft: recipients written out, files by id with their names and sizes. */
export function toDraft(state: ComposeState): Draft {
  return {
    accountId: state.accountId,
    to: state.to.map(formatRecipient),
    cc: state.cc.map(formatRecipient),
    bcc: state.bcc.map(formatRecipient),
    subject: state.subject,
    text: state.text,
    attachments: state.attachments.map(({ fileId, name, sizeBytes }) => ({ fileId, name, sizeBytes })),
  };
}

/**
 * The message as `mail:send` takes it: the draft of the same state, with files by id only, so a
 * sent message and its saved draft can never be written differently.
 */
export function toSendRequest(state: ComposeState & { accountId: string }): RequestOf<'mail:send'> {
  const { attachments, ...fields } = toDraft(state);
  return { ...fields, accountId: state.accountId, attachments: attachments.map(({ fileId }) => ({ fileId })) };
}

export function fromDraft(draft: Draft): ComposeState {
  return {
    accountId: draft.accountId,
    to: recipientsFromStrings(draft.to),
    cc: recipientsFromStrings(draft.cc),
    bcc: recipientsFromStrings(draft.bcc),
    subject: draft.subject,
    text: draft.text,
    attachments: draft.attachments.map(({ fileId, name, sizeBytes }) => ({ fileId, name, sizeBytes })),
  };
}

/** Adds files, skipping one already attached (main gives the same file the same id). */
export function addAttachments(list: readonly Attachment[], added: readonly Attachment[]): Attachment[] {
  const seen = new Set(list.map((a) => a.fileId));
  const next = [...list];
  for (const { fileId, name, sizeBytes } of added) {
    if (seen.has(fileId)) continue;
    seen.add(fileId);
    next.push({ fileId, name, sizeBytes });
  }
  return next;
}

/** The size main will count against the account's limit (message-rules.ts). */
export function messageSize(state: ComposeState): number {
  return encodedMessageSize(
    state.text,
    state.attachments.map((a) => a.sizeBytes),
  );
}

function invalidList(list: readonly Recipient[]): string | undefined {
  const bad = list.filter((r) => !r.valid).map((r) => r.address);
  if (!bad.length) return undefined;
  return bad.length === 1
    ? `“${bad[0]}” is not an email address.`
    : `These are not email addresses: ${bad.join(', ')}.`;
}

/** Everything that stops this message being sent, keyed by the field it concerns. */
export function validate(state: ComposeState, accounts: readonly Account[], limitBytes: number | null): FieldErrors {
  const errors: FieldErrors = {};
  if (!accounts.length) errors.from = 'Add an account before sending.';
  else if (!accounts.some((a) => a.id === state.accountId)) errors.from = 'Choose the account to send from.';
  const to = invalidList(state.to);
  if (to) errors.to = to;
  else if (!state.to.length && !state.cc.length && !state.bcc.length) errors.to = 'Add at least one recipient.';
  const cc = invalidList(state.cc);
  if (cc) errors.cc = cc;
  const bcc = invalidList(state.bcc);
  if (bcc) errors.bcc = bcc;
  const { maxRecipients, maxAttachments } = MESSAGE_LIMITS;
  if (state.to.length + state.cc.length + state.bcc.length > maxRecipients)
    errors.to = `That is more than ${maxRecipients} recipients; split the message.`;
  if (state.attachments.length > maxAttachments)
    errors.attachments = `At most ${maxAttachments} files can be attached.`;
  else if (limitBytes !== null) {
    const size = messageSize(state);
    if (size > limitBytes)
      errors.attachments = `Too large to send: about ${formatBytes(size)} once encoded, and this account allows ${formatBytes(limitBytes)}. Remove a file or send a link instead.`;
  }
  return errors;
}

/** The account to preselect: the one in the draft, else the default from settings, else the first. */
export function pickAccount(
  current: string | null,
  accounts: readonly Account[],
  defaultId: string | null,
): string | null {
  if (current && accounts.some((a) => a.id === current)) return current;
  if (defaultId && accounts.some((a) => a.id === defaultId)) return defaultId;
  return accounts[0]?.id ?? null;
}
