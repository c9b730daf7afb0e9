/**
 * What the outbox reads back from disk, checked field by field (zod) rather than asserted: a
 * file from another version or a damaged one is refused here, as "not an outbox message", and
 * set aside by the caller, instead of failing later in the middle of a send.
 */
import { z } from 'zod';
import { errorInfoSchema } from '../ipc/contract';
import type { StoredMessage } from './stored-message';

const mailboxSchema = z.object({ name: z.string(), address: z.string() });
const refusedSchema = z.object({ address: z.string(), reply: z.string() });

export const recipientProgressSchema = z.object({
  delivered: z.array(z.string()),
  refused: z.array(refusedSchema),
  deferred: z.array(refusedSchema),
});

export const storedMessageSchema: z.ZodType<StoredMessage> = z.object({
  v: z.literal(1),
  accountId: z.string(),
  from: mailboxSchema,
  to: z.array(mailboxSchema),
  cc: z.array(mailboxSchema),
  bcc: z.array(mailboxSchema),
  subject: z.string(),
  text: z.string(),
  attachments: z.array(
    z.object({
      name: z.string(),
      originalPath: z.string(),
      file: z.string(),
      sizeBytes: z.number(),
      sealed: z.literal(true).optional(),
    }),
  ),
  messageId: z.string(),
  createdAt: z.number(),
  sizeBytes: z.number(),
  relayed: z
    .object({
      program: z.string(),
      credentialId: z.string(),
      envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
      file: z.string(),
    })
    .optional(),
});

const stateNameSchema = z.enum(['waiting', 'sending', 'retrying', 'needs-sign-in', 'untrusted-server', 'failed']);

/** The plain part of a `state.json` from before the index; the sealed part is read on its own. */
export const legacyStateSchema = z.object({
  v: z.literal(1),
  state: stateNameSchema,
  attempts: z.number(),
  retries: z.number(),
  nextAttemptAt: z.number().nullable(),
  lastError: errorInfoSchema.nullable().optional(),
  recipients: recipientProgressSchema.optional(),
  sealed: z.string().optional(),
});

/** The sealed part of a legacy `state.json`: who had the message, and the error naming them. */
export const legacySealedStateSchema = z.object({
  recipients: recipientProgressSchema,
  lastError: errorInfoSchema.nullable().optional(),
});

/** `outbox-paused.json`; anything else reads as not paused. */
export const pausedFileSchema = z.object({ paused: z.boolean() });
