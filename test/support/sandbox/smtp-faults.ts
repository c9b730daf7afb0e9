// Scripted faults for the sandbox SMTP server: each phase holds a queue of replies that the
// next sessions get instead of the normal answer, so a test can say "421 at the greeting twice,
// then behave" or "535 on every AUTH" and then assert how many attempts the client made.

/** An SMTP reply the server sends instead of the normal one. */
export type SmtpReply = { code: number; message: string };

/** Where a fault strikes: the greeting, the AUTH command, the end of DATA, or mid-DATA (drop). */
export type FaultPhase = 'greeting' | 'auth' | 'data' | 'drop-during-data';

type Planned = { reply: SmtpReply; remaining: number };

/** A queue of faults per phase; `take` hands out the next one and counts it down. */
export class FaultPlan {
  private readonly plans = new Map<FaultPhase, Planned[]>();

  /** Queues `reply` for the next `times` hits of `phase` (Infinity: until cleared). */
  add(phase: FaultPhase, reply: SmtpReply, times = Number.POSITIVE_INFINITY): void {
    if (!(times > 0)) throw new Error('times must be positive');
    const list = this.plans.get(phase) ?? [];
    list.push({ reply, remaining: times });
    this.plans.set(phase, list);
  }

  /** The fault for this hit of `phase`, if any. */
  take(phase: FaultPhase): SmtpReply | undefined {
    const list = this.plans.get(phase);
    const head = list?.[0];
    if (!list || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) list.shift();
    return head.reply;
  }

  clear(): void {
    this.plans.clear();
  }
}

/** An Error smtp-server turns into the given reply (`responseCode` is its convention). */
export function replyError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}
