/**
 * The message model: what `mail:send` accepted, checked field by field. Every header field is
 * refused if it holds a line break (header injection: a CR/LF in a subject or address would let
 * text become new headers or recipients), every recipient must be a real address, and the error
 * names the field so the composer can point at it. nodemailer builds the MIME from the result.
 */
import { domainToASCII } from 'node:url';
import type { Readable } from 'node:stream';
import type Mail from 'nodemailer/lib/mailer';
import { encodeWord } from './nodemailer-parts';
import type { SendingAccount } from '../accounts/sending-account';
import type { MessageInput } from '../ipc/contract';
import { AppError } from '../shared/errors';
import type { ErrorCode } from '../shared/error-codes';
import { describeProblem, formatMailbox, parseMailbox, type Mailbox } from './addresses';
import { hasControlCharacter } from './header-text';

/** A message that passed validation; attachments are still paths (see attachments.ts). */
export type ValidatedMessage = {
  accountId: string;
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  subject: string;
  text: string;
  attachmentPaths: string[];
};

/** A refused field; `field` is machine-readable (`to[2]`, `subject`) for the composer. */
export class FieldError extends AppError {
  readonly field: string;
  constructor(code: ErrorCode, field: string, message: string, hint?: string) {
    super(code, message, hint === undefined ? undefined : { hint });
    this.name = 'FieldError';
    this.field = field;
  }
}

/** Stable codes of message validation. */
export const messageErrors = {
  lineBreak: 'mail.line_break_in_header',
  noRecipients: 'mail.no_recipients',
  badAddress: 'mail.invalid_address',
  tooManyRecipients: 'mail.too_many_recipients',
} as const;

const LABELS: Record<string, string> = {
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  subject: 'Subject',
  from: 'From',
  attachments: 'Attachments',
};

function label(field: string): string {
  const [name = field, index] = field.split(/[[\]]/);
  const base = LABELS[name] ?? name;
  return index === undefined ? base : `${base} (entry ${Number(index) + 1})`;
}

/** Refuses CR/LF and other control characters in a header value, naming the field. */
export function assertHeaderSafe(field: string, value: string): void {
  if (hasControlCharacter(value)) {
    throw new FieldError(
      messageErrors.lineBreak,
      field,
      `${label(field)} contains a line break or control character, which is not allowed there.`,
      'Remove the line break and try again.',
    );
  }
}

function mailboxes(field: 'to' | 'cc' | 'bcc', entries: string[]): Mailbox[] {
  return entries.map((raw, index) => {
    const name = `${field}[${index}]`;
    assertHeaderSafe(name, raw);
    const result = parseMailbox(raw);
    if ('problem' in result) {
      throw new FieldError(
        messageErrors.badAddress,
        name,
        `"${raw.trim().slice(0, 80)}" in ${LABELS[field]} ${describeProblem(result.problem)}.`,
        'Check the address for typos.',
      );
    }
    return result.mailbox;
  });
}

/** `mail:send`'s fields with the attachments as paths: main resolved the file ids first. */
export type MessageFields = Omit<MessageInput, 'attachments'> & { attachments?: Array<{ path: string }> };

/** Validates `input` for `account`; throws FieldError naming the first bad field. */
export function validateMessage(
  input: MessageFields,
  account: SendingAccount,
  limits: { maxRecipients: number },
): ValidatedMessage {
  assertHeaderSafe('from', account.fromAddress);
  assertHeaderSafe('from', account.displayName);
  const from = parseMailbox(account.fromAddress);
  if ('problem' in from)
    throw new FieldError(
      messageErrors.badAddress,
      'from',
      `The account's From address ${describeProblem(from.problem)}.`,
    );
  const to = mailboxes('to', input.to);
  const cc = mailboxes('cc', input.cc ?? []);
  const bcc = mailboxes('bcc', input.bcc ?? []);
  const total = to.length + cc.length + bcc.length;
  if (total === 0) throw new FieldError(messageErrors.noRecipients, 'to', 'Add at least one recipient.');
  if (total > limits.maxRecipients) {
    throw new FieldError(
      messageErrors.tooManyRecipients,
      'to',
      `This message has ${total} recipients; Quicksend sends to at most ${limits.maxRecipients} at once.`,
      'Split the recipients across several messages.',
    );
  }
  assertHeaderSafe('subject', input.subject);
  const attachmentPaths = (input.attachments ?? []).map((a, index) => {
    assertHeaderSafe(`attachments[${index}]`, a.path);
    return a.path;
  });
  return {
    accountId: input.accountId,
    from: { name: account.displayName.trim(), address: from.mailbox.address },
    to,
    cc,
    bcc,
    subject: input.subject,
    text: input.text,
    attachmentPaths,
  };
}

// A word longer than this cannot be folded onto a line of RFC 5322's recommended 78 characters.
const UNFOLDABLE_WORD = /\S{77,}/;

/**
 * The Subject as nodemailer should write it. Folding happens only at whitespace, so one long
 * word (a 998-character subject without spaces, which the contract allows) would become a line
 * over RFC 5322's hard limit of 998 octets. Such a subject is sent as RFC 2047 encoded words,
 * which split anywhere and fold; every reader decodes them back to the same text.
 */
export function subjectForWire(subject: string): string {
  return UNFOLDABLE_WORD.test(subject) ? encodeWord(subject, 'Q', 52) : subject;
}

/** An attachment ready for nodemailer: a stream of its plain bytes, shown as `filename`. */
export type MimeAttachment = { filename: string; content: Readable };

/**
 * nodemailer options for a validated message. The Message-ID and Date are fixed by the caller
 * so every retry sends the same message (a receiving side can spot a duplicate). nodemailer
 * leaves Bcc out of the headers and puts it in the envelope only; URLs are never fetched.
 */
export function mailOptions(
  message: Pick<ValidatedMessage, 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'text'>,
  extra: { messageId: string; date: Date; attachments: MimeAttachment[] },
): Mail.Options {
  return {
    from: message.from,
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    subject: subjectForWire(message.subject),
    text: message.text,
    messageId: extra.messageId,
    date: extra.date,
    attachments: extra.attachments.map((a) => ({ filename: a.filename, content: a.content })),
    disableUrlAccess: true,
  };
}

/** A Message-ID for an outbox entry, on the sender's domain (RFC 5322 3.6.4). */
export function messageIdFor(id: string, from: Mailbox): string {
  const domain = domainToASCII(from.address.slice(from.address.lastIndexOf('@') + 1)) || 'quicksend.invalid';
  return `<${id}@${domain}>`;
}

/** Every recipient for display and history, in To, Cc, Bcc order. */
export function recipientsOf(message: Pick<ValidatedMessage, 'to' | 'cc' | 'bcc'>): string[] {
  return [...message.to, ...message.cc, ...message.bcc].map(formatMailbox);
}
