/**
 * Where a message stands recipient by recipient, once a server took some recipients at RCPT TO
 * and not others. Taken ones are never sent the message again; a 5xx refuses a recipient for
 * good (named with the server's reply in the outbox, history, notification and log); a 4xx
 * only puts it off: the outbox retries with backoff in a follow-up transaction to just the
 * recipients left, with the same Message-ID and headers. Pure functions, so the rules are
 * unit-tested apart from SMTP; the outbox keeps the result with the entry's state on disk.
 */
import type { ErrorInfo, RefusedRecipient } from '../ipc/contract';
import { isFinalRefusal, type RecipientReply } from '../mail/envelope';

export type RecipientProgress = {
  /** Envelope addresses the server took, in a transaction whose DATA it then accepted. */
  delivered: string[];
  /** Refused for good (5xx), each with the server's reply line. */
  refused: RefusedRecipient[];
  /** Put off (4xx) and still to be sent, each with the last reply. */
  deferred: RefusedRecipient[];
};

export const noProgress: RecipientProgress = { delivered: [], refused: [], deferred: [] };

/** Codes of the outbox's recipient errors, for the UI and tests. */
export const recipientErrors = { refused: 'smtp.recipients_refused', deferred: 'smtp.recipients_deferred' } as const;

/** Named one by one in a message up to this many; the rest are counted. */
const NAMED = 3;

/** Recipients still to send to, in envelope order: neither delivered nor refused. */
export function pendingRecipients(all: readonly string[], progress: RecipientProgress = noProgress): string[] {
  const done = new Set([...progress.delivered, ...progress.refused.map((r) => r.address)]);
  return all.filter((address) => !done.has(address));
}

/** The progress after one transaction: who the server took, refused and put off this time. */
export function afterTransaction(
  progress: RecipientProgress,
  accepted: readonly string[],
  rejected: readonly RecipientReply[],
): RecipientProgress {
  const answered = new Set([...accepted, ...rejected.map((r) => r.address)]);
  const delivered = [...progress.delivered, ...accepted.filter((a) => !progress.delivered.includes(a))];
  const plain = (r: RecipientReply): RefusedRecipient => ({ address: r.address, reply: r.reply });
  return {
    delivered,
    refused: [
      ...progress.refused.filter((r) => !answered.has(r.address)),
      ...rejected.filter(isFinalRefusal).map(plain),
    ],
    deferred: [
      ...progress.deferred.filter((r) => !answered.has(r.address)),
      ...rejected.filter((r) => !isFinalRefusal(r)).map(plain),
    ],
  };
}

/**
 * `addresses` refused with one reason: a follow-up transaction failed for good (say 552 at DATA)
 * after others already had the message, so it cannot be failed as a whole any more.
 */
export function refuseAll(progress: RecipientProgress, addresses: readonly string[], reply: string): RecipientProgress {
  const gone = new Set(addresses);
  return {
    delivered: progress.delivered,
    refused: [
      ...progress.refused.filter((r) => !gone.has(r.address)),
      ...addresses.map((address) => ({ address, reply })),
    ],
    deferred: progress.deferred.filter((r) => !gone.has(r.address)),
  };
}

/** "Retry" on a message with refused recipients: they are tried again, the delivered ones still not. */
export function retryRefused(progress: RecipientProgress): RecipientProgress {
  return { delivered: progress.delivered, refused: [], deferred: [] };
}

function named(list: readonly RefusedRecipient[], each: (r: RefusedRecipient) => string): string {
  const shown = list.slice(0, NAMED).map(each).join(' ');
  const more = list.length - NAMED;
  return more > 0
    ? `${shown} ${more === 1 ? 'One more recipient was' : `${more} more recipients were`} not delivered either (see the Outbox).`
    : shown;
}

/**
 * The outbox item's error in plain words: recipients put off (the message still goes out to
 * them by itself), or refused for good. Null when neither is the case.
 */
export function recipientsError(progress: RecipientProgress, total: number): ErrorInfo | null {
  const sent = progress.delivered.length;
  if (progress.deferred.length > 0) {
    const sofar = sent > 0 ? `Sent to ${sent} of ${total} recipients so far. ` : '';
    const refused =
      progress.refused.length > 0
        ? ` ${named(progress.refused, (r) => `Not delivered to ${r.address}: the server said "${r.reply}".`)}`
        : '';
    return {
      code: recipientErrors.deferred,
      message: `${sofar}${named(progress.deferred, (r) => `The server put off ${r.address} for now: "${r.reply}".`)}${refused}`,
      hint: 'Quicksend tries again by itself and sends it only to the recipients who do not have it yet.',
    };
  }
  if (progress.refused.length > 0) {
    const sofar = sent > 0 ? `Sent to ${sent} of ${total} recipients. ` : '';
    return {
      code: recipientErrors.refused,
      message: `${sofar}${named(progress.refused, (r) => `Not delivered to ${r.address}: the server said "${r.reply}".`)}`,
      hint: 'Check the address for typos, then choose "Write again" to send it to a corrected address.',
    };
  }
  return null;
}
