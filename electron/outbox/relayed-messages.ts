/**
 * Messages other programs hand to the relay (relay/relay-sink.ts), as the outbox keeps and
 * sends them. The raw message (its header block already edited by the relay) streams into the
 * entry's folder sealed with the data key, like attachment copies, and the entry's record says
 * who sent it, from which credential, and its envelope. It is sent as stored: nodemailer's
 * `raw` plus that envelope, never rebuilt, so the body reaches the server byte for byte. The
 * outbox treats it like composed mail otherwise (retries, refused recipients, pause, history).
 */
import { Transform, type Readable } from 'node:stream';
import type Mail from 'nodemailer/lib/mailer';
import type { Notifier, Clock } from '../shared/ports';
import { headerEnd } from '../relay/header-edit';
import { RelaySinkError, type RelayMessage, type RelaySink } from '../relay/relay-sink';
import type { OutboxStore } from './outbox-store';
import type { RelayedFacts, StoredMessage, StoredState } from './stored-message';

export type { RelayedFacts } from './stored-message';

const RAW_FILE = 'raw.eml';
// Enough for any header block a list needs a Subject and Message-ID from; the rest is not held.
const SUMMARY_HEAD_BYTES = 64 * 1024;

/** Counts the bytes passing (refusing past `limitBytes`) and keeps the first ones for the summary. */
function measure(limitBytes: number) {
  let bytes = 0;
  const head: Buffer[] = [];
  let held = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limitBytes)
        return callback(
          new RelaySinkError('too-big', `the message is over this account's limit of ${limitBytes} bytes`),
        );
      if (held < SUMMARY_HEAD_BYTES) {
        const part = chunk.subarray(0, SUMMARY_HEAD_BYTES - held);
        head.push(part);
        held += part.length;
      }
      callback(null, chunk);
    },
  });
  return { stream, bytes: () => bytes, head: () => Buffer.concat(head) };
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** Decodes RFC 2047 encoded words for display; a word in an unknown charset stays as it is. */
export function decodeWords(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
  const joined = value.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?)/g, '$1');
  return joined.replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    try {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return new TextDecoder(charset.split('*')[0]).decode(bytes);
    } catch {
      return word;
    }
  });
}

/** The Subject and Message-ID of a header block (unfolded), for the outbox list and history. */
export function summaryOf(head: Buffer): { subject: string; messageId: string | null } {
  const end = headerEnd(head);
  const text = head.subarray(0, end >= 0 ? end : head.length).toString('utf8');
  const fields = text.split(/\r?\n(?![ \t])/).map((line) => line.replace(/\r?\n[ \t]/g, ' '));
  const value = (name: string) => {
    const line = fields.find((f) => f.slice(0, name.length + 1).toLowerCase() === `${name}:`);
    return line === undefined ? null : line.slice(name.length + 1).trim();
  };
  return { subject: decodeWords(value('subject') ?? ''), messageId: value('message-id') };
}

/** Too big, disk full, or what the relay's own stream failed with: the reason the relay answers. */
function sinkErrorOf(error: unknown): unknown {
  if (error instanceof RelaySinkError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new RelaySinkError('storage-full', 'the disk is full');
  return error;
}

/**
 * Streams `input` into a new outbox entry `id`, durably (fsync + rename), and answers its
 * record. Past `limitBytes` it fails with `too-big`; a full disk fails with `storage-full`;
 * a message the relay destroys mid-way fails with the relay's reason. Failing leaves nothing.
 */
export async function storeRelayed(
  store: Pick<OutboxStore, 'createStreamed'>,
  id: string,
  input: RelayMessage,
  options: { now: number; limitBytes: number; state: StoredState },
): Promise<StoredMessage> {
  const measured = measure(options.limitBytes);
  // The relay's stream fails on its own refusals (too big, From not allowed, client gone),
  // possibly before the stage exists; the pipeline below reports the stored error then.
  input.message.on('error', (error) => measured.stream.destroy(error));
  measured.stream.on('error', () => {});
  try {
    return await store.createStreamed(id, options.state, async (seal) => {
      await seal(RAW_FILE, input.message.pipe(measured.stream));
      const summary = summaryOf(measured.head());
      return {
        v: 1,
        accountId: input.accountId,
        from: { name: '', address: input.envelope.from },
        to: input.envelope.to.map((address) => ({ name: '', address })),
        cc: [],
        bcc: [],
        subject: summary.subject,
        text: '',
        attachments: [],
        messageId: summary.messageId ?? `<${id}@quicksend.invalid>`,
        createdAt: options.now,
        sizeBytes: measured.bytes(),
        relayed: {
          program: input.programName,
          credentialId: input.credentialId,
          envelope: input.envelope,
          file: RAW_FILE,
        },
      };
    });
  } catch (error) {
    throw sinkErrorOf(error);
  }
}

/**
 * nodemailer options for one attempt: the stored message as it is, to the recipients still
 * pending. A stream is read once: ask again for every attempt.
 */
export function relayedMailOptions(
  store: Pick<OutboxStore, 'openAttachment'>,
  id: string,
  message: StoredMessage & { relayed: RelayedFacts },
  pending: string[],
): Mail.Options {
  const raw: Readable = store.openAttachment(id, {
    name: message.relayed.file,
    originalPath: '',
    file: message.relayed.file,
    sizeBytes: message.sizeBytes,
    sealed: true,
  });
  return { raw, envelope: { from: message.relayed.envelope.from, to: pending }, messageId: message.messageId };
}

/** "from <program>" for the outbox item and history entry of a relayed message. */
export function viaOf(message: Pick<StoredMessage, 'relayed'>): { via?: { program: string } } {
  return message.relayed ? { via: { program: message.relayed.program } } : {};
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * The outbox as the relay's sink: `accept` stores the message through `intake` and, while the account needs sign-in, tells the person which program's
 * message waits for which account (at most once an hour per program and account).
 */
export function createRelayedSink(deps: {
  /** Stores the message in the outbox (`MailService.acceptRelayed`). */
  intake(message: RelayMessage): Promise<{ id: string }>;
  /** The account's address when it needs sign-in, else null. */
  needsSignIn(accountId: string): string | null;
  notifier: Notifier;
  clock: Clock;
}): RelaySink {
  const notified = new Map<string, number>();
  return {
    async accept(message) {
      const stored = await deps.intake(message);
      const address = deps.needsSignIn(message.accountId);
      if (address !== null) {
        const key = `${message.credentialId}\n${message.accountId}`;
        const now = deps.clock.now();
        if ((notified.get(key) ?? -Infinity) <= now - HOUR_MS) {
          notified.set(key, now);
          deps.notifier.notify({
            title: `A message from “${message.programName}” is waiting`,
            body: `Quicksend took it, but ${address} needs you to sign in again before it can be sent. Sign in from Accounts and it goes out.`,
            target: 'accounts',
          });
        }
      }
      return stored;
    },
  };
}
