/**
 * The SMTP envelope of a message, recipient by recipient. A server may take some recipients
 * and refuse or put off others (RFC 5321 3.3: each RCPT TO gets its own reply), so the outbox
 * keeps track per envelope address and sends a follow-up transaction to just the ones left.
 * Addresses are normalised by nodemailer's own code (IDN domains to punycode, domains lower
 * case), so they are exactly the strings nodemailer reports back as accepted or rejected.
 */
import { mimeNode } from './nodemailer-parts';
import type { Mailbox } from './addresses';

type Recipients = { to: Mailbox[]; cc: Mailbox[]; bcc: Mailbox[] };

/** One address as nodemailer will put it in RCPT TO. */
export function envelopeAddress(address: string): string {
  const MimeNode = mimeNode();
  return new MimeNode().setEnvelope({ to: [address] }).getEnvelope().to[0] ?? address.trim();
}

/** Every envelope recipient once, in To, Cc, Bcc order (nodemailer's order too). */
export function envelopeRecipients(message: Recipients): string[] {
  const seen = new Set<string>();
  for (const mailbox of [...message.to, ...message.cc, ...message.bcc]) seen.add(envelopeAddress(mailbox.address));
  return [...seen];
}

/** The message's To, Cc and Bcc cut down to the mailboxes whose envelope address is in `keep`. */
export function onlyRecipients<T extends Recipients>(message: T, keep: ReadonlySet<string>): Recipients {
  const kept = (list: Mailbox[]) => list.filter((m) => keep.has(envelopeAddress(m.address)));
  return { to: kept(message.to), cc: kept(message.cc), bcc: kept(message.bcc) };
}

/** What the server answered for one recipient that it did not take. */
export type RecipientReply = {
  /** The envelope address, as in `envelopeRecipients`. */
  address: string;
  /** The server's reply line (`550 5.1.1 <bob@example.org>: ... User unknown`), or plain words when there was none. */
  reply: string;
  replyCode: number | null;
};

/** How the server answered the RCPT TOs of one transaction. */
export type RecipientReplies = { accepted: string[]; rejected: RecipientReply[] };

type RejectedLike = { recipient?: unknown; response?: unknown; responseCode?: unknown; message?: unknown };

const firstLine = (text: string) => (text.split(/\r?\n/)[0] ?? '').trim().slice(0, 300);

/**
 * The rejected recipients nodemailer reports: `rejectedErrors` on a send that went through for
 * some recipients, and on the EENVELOPE error when none were taken. Empty for anything else.
 */
export function rejectedRecipients(value: unknown): RecipientReply[] {
  const list =
    typeof value === 'object' && value !== null ? (value as { rejectedErrors?: unknown }).rejectedErrors : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: RejectedLike) => {
    if (typeof item !== 'object' || item === null || typeof item.recipient !== 'string') return [];
    const reply =
      typeof item.response === 'string' && item.response.trim()
        ? firstLine(item.response)
        : firstLine(String(item.message ?? 'No reply from the server.'));
    const replyCode =
      typeof item.responseCode === 'number' ? item.responseCode : Number(/^(\d{3})\b/.exec(reply)?.[1]) || null;
    return [{ address: item.recipient, reply, replyCode }];
  });
}

/** Final refusals are 5xx; a 4xx (or no code at all) only puts the recipient off for now. */
export function isFinalRefusal(reply: Pick<RecipientReply, 'replyCode'>): boolean {
  return reply.replyCode !== null && reply.replyCode >= 500 && reply.replyCode <= 599;
}
