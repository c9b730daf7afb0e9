// Recipient rules for the sandbox SMTP server: which addresses it refuses for good at RCPT TO
// (Postfix's `550 5.1.1 ... User unknown`, or a domain it will not relay to) and which it puts
// off for now (greylisting's `450 4.2.0`), so a test can mix accepted, refused and deferred
// recipients in one message. Every address without a rule is accepted, as before.
import type { SmtpReply } from './smtp-faults';

/** What Postfix answers for a mailbox that does not exist (local_recipient_maps). */
export const userUnknown = (address: string): SmtpReply => ({
  code: 550,
  message: `5.1.1 <${address}>: Recipient address rejected: User unknown in local recipient table`,
});
/** What a greylisting policy server answers the first time it sees a sender/recipient pair. */
export const greylisted = (address: string): SmtpReply => ({
  code: 450,
  message: `4.2.0 <${address}>: Recipient address rejected: Greylisted, try again later`,
});

// A default reply names the address as the client sent it, as Postfix echoes it.
type Reply = SmtpReply | ((address: string) => SmtpReply);
type Rule = { reply: Reply; remaining: number };

/** Rules per address, compared case-insensitively like smtp-server compares recipients. */
export class RecipientRules {
  private readonly rules = new Map<string, Rule[]>();

  /** Every RCPT TO for `address` gets `reply` (a 5xx) until cleared. */
  refuse(address: string, reply?: SmtpReply): void {
    if (reply && (reply.code < 500 || reply.code > 599)) throw new Error('a refusal is a 5xx reply; use defer for 4xx');
    this.add(address, reply ?? userUnknown, Number.POSITIVE_INFINITY);
  }

  /** The next `times` RCPT TOs for `address` get `reply` (a 4xx); then it is accepted. */
  defer(address: string, reply?: SmtpReply, times = 1): void {
    if (reply && (reply.code < 400 || reply.code > 499))
      throw new Error('a deferral is a 4xx reply; use refuse for 5xx');
    if (!(times > 0)) throw new Error('times must be positive');
    this.add(address, reply ?? greylisted, times);
  }

  /** The reply for this RCPT TO, counting it down; undefined means accept. */
  take(address: string): SmtpReply | undefined {
    const list = this.rules.get(address.toLowerCase());
    const head = list?.[0];
    if (!list || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) list.shift();
    return typeof head.reply === 'function' ? head.reply(address) : head.reply;
  }

  clear(): void {
    this.rules.clear();
  }

  private add(address: string, reply: Reply, times: number): void {
    const key = address.trim().toLowerCase();
    const list = this.rules.get(key) ?? [];
    list.push({ reply, remaining: times });
    this.rules.set(key, list);
  }
}
