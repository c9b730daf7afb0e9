/**
 * The port through which the relay hands an accepted message on: the outbox implements it
 * (outbox/relayed-messages.ts, wired in core.ts); tests may use a file stand-in. The relay answers 250 only after `accept` resolved, so `accept` must
 * resolve only once the message and its envelope are durably stored (fsync + rename).
 */
import type { Readable } from 'node:stream';

/** One message a program submitted, as the relay passes it on. */
export type RelayMessage = {
  credentialId: string;
  accountId: string;
  /** The name the person gave the program ("backup script"): history shows "from <name>". */
  programName: string;
  /**
   * The SMTP envelope: `from` is the checked sender (the account's address when the credential
   * rewrites From); `to` is exactly the recipients the client gave, in its order.
   */
  envelope: { from: string; to: string[] };
  /**
   * The raw message with its header block edited as RFC 6409 section 8 allows (relay/header-edit.ts),
   * streamed while the client sends it. It ends only when DATA ended well; it is destroyed with
   * an error when the message is refused mid-way (too big, From not allowed, client gone), and
   * then nothing of it may be kept.
   */
  message: Readable;
  /**
   * The size the client declared with `SIZE=` at MAIL FROM, or null. The exact size is known
   * only when `message` ends (the relay streams, so a 200 MB message never sits in memory).
   */
  declaredSizeBytes: number | null;
};

/** Why a sink could not take a message; each maps to one SMTP reply (see `sinkReply`). */
export type RelaySinkReason = 'not-ready' | 'busy' | 'storage-full' | 'too-big';

/** A sink's refusal. Anything else a sink throws is answered like `busy` (451, try later). */
export class RelaySinkError extends Error {
  readonly reason: RelaySinkReason;
  constructor(reason: RelaySinkReason, message: string) {
    super(message);
    this.name = 'RelaySinkError';
    this.reason = reason;
  }
}

export interface RelaySink {
  /** Stores the message durably and answers its outbox id; rejects with a `RelaySinkError`. */
  accept(message: RelayMessage): Promise<{ id: string }>;
}

/** The SMTP reply for a sink's refusal: 451 (try later), 452 (no room), 552 (too big). */
export function sinkReply(error: unknown): { code: number; message: string } {
  const reason = error instanceof RelaySinkError ? error.reason : 'busy';
  switch (reason) {
    case 'not-ready':
      return { code: 451, message: '4.3.0 Quicksend cannot queue messages from other programs yet; try again later' };
    case 'storage-full':
      return { code: 452, message: '4.3.1 Quicksend has no room to store this message now; try again later' };
    case 'too-big':
      return { code: 552, message: '5.3.4 Message too big for this account' };
    case 'busy':
      return { code: 451, message: '4.3.0 Quicksend could not store this message; try again later' };
  }
}
