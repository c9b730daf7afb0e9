/**
 * What one outbox entry is on disk, as types only: the sealed message and its sending state.
 * A module of its own so the store, the index, the schemas and the relay's sink can all name
 * them without importing one another.
 */
import type { ErrorInfo } from '../ipc/contract';
import type { ValidatedMessage } from '../mail/message';
import type { RecipientProgress } from './recipient-progress';

/** What the outbox record holds of a relayed message besides the usual summary. */
export type RelayedFacts = {
  /** The name the person gave the program ("backup script"). */
  program: string;
  credentialId: string;
  /** The SMTP envelope as the relay checked it: recipients exactly as the client gave them. */
  envelope: { from: string; to: string[] };
  /** The sealed raw message in the entry's folder. */
  file: string;
};

/** The sealed part: everything a person wrote. Never logged, never in plain text on disk. */
export type StoredMessage = Omit<ValidatedMessage, 'attachmentPaths'> & {
  v: 1;
  /** `sealed`: the copy is encrypted with the data key (copies written before that are plain). */
  attachments: Array<{ name: string; originalPath: string; file: string; sizeBytes: number; sealed?: true }>;
  messageId: string;
  createdAt: number;
  sizeBytes: number;
  /** Set for a message another program handed to the relay: it is sent as stored, raw (relayed-messages.ts). */
  relayed?: RelayedFacts;
};

export type StoredStateName = 'waiting' | 'sending' | 'retrying' | 'needs-sign-in' | 'untrusted-server' | 'failed';

/** Scheduling facts (sealed in the index with the rest). */
export type StoredState = {
  v: 1;
  state: StoredStateName;
  attempts: number;
  /** Consecutive transient failures, for the backoff. */
  retries: number;
  nextAttemptAt: number | null;
  lastError: ErrorInfo | null;
  /** Once a server took some recipients and not others; absent until then. */
  recipients?: RecipientProgress;
};
