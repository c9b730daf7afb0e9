/**
 * Two stand-ins for the outbox behind the relay's `RelaySink` port, for tests and the benchmark:
 * a file sink that stores each message like the outbox must (temp file, fsync, rename; the
 * envelope beside it), and a forwarding sink that sends each raw message on with nodemailer
 * (`raw` + `envelope`, XOAUTH2) to the sandbox SMTP server, so a third-party client's message
 * can be compared with what the sandbox received.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AccessTokenSource } from '../../../electron/accounts/sending-account';
import { RelaySinkError, type RelayMessage, type RelaySink } from '../../../electron/relay/relay-sink';

export type StoredRelayMessage = {
  id: string;
  file: string;
  envelope: RelayMessage['envelope'];
  programName: string;
  accountId: string;
  credentialId: string;
  sizeBytes: number;
};

export type FileSink = RelaySink & {
  dir: string;
  stored: StoredRelayMessage[];
  /** Every file in the folder, temp files included (a refused message must leave none). */
  files(): Promise<string[]>;
  /** Streams that ended in an error (refused mid-way); nothing of them was kept. */
  aborted: number;
};

/** Stores each message as `<id>.eml` with `<id>.json` (envelope), both fsync'ed and renamed into place. */
export function createFileSink(dir: string): FileSink {
  const stored: StoredRelayMessage[] = [];
  let counter = 0;
  const sink: FileSink = {
    dir,
    stored,
    aborted: 0,
    files: async () => (await readdir(dir).catch(() => [] as string[])).sort(),
    async accept(message) {
      await mkdir(dir, { recursive: true });
      counter += 1;
      const id = `m${String(counter).padStart(5, '0')}-${randomBytes(3).toString('hex')}`;
      const file = path.join(dir, `${id}.eml`);
      const temp = `${file}.tmp`;
      let sizeBytes = 0;
      message.message.on('data', (chunk: Buffer) => (sizeBytes += chunk.length));
      try {
        await pipeline(message.message, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
        const handle = await open(temp, 'r+');
        await handle.sync();
        await handle.close();
        await writeFile(
          `${file}.json.tmp`,
          JSON.stringify({ envelope: message.envelope, programName: message.programName }),
          { mode: 0o600 },
        );
        await rename(`${file}.json.tmp`, path.join(dir, `${id}.json`));
        await rename(temp, file);
      } catch (error) {
        sink.aborted += 1;
        await rm(temp, { force: true });
        await rm(`${file}.json.tmp`, { force: true });
        throw error;
      }
      stored.push({
        id,
        file,
        envelope: message.envelope,
        programName: message.programName,
        accountId: message.accountId,
        credentialId: message.credentialId,
        sizeBytes,
      });
      return { id };
    },
  };
  return sink;
}

/** A sink that reads nothing, stores nothing and answers 451 (the outbox before it started). */
export const notReadySink: RelaySink = {
  accept: async () => {
    throw new RelaySinkError('not-ready', 'the outbox is still starting');
  },
};

export type ForwardingSink = RelaySink & { forwarded: number; close(): void };

/**
 * Sends each message on to `smtp` as the account's login with an access token from `tokens`,
 * over one pooled nodemailer transport per account. Not durable: a stand-in for the outbox
 * in tests that compare what a client sent with what the sandbox received.
 */
export function createForwardingSink(options: {
  smtp: { host: string; port: number; ca: string };
  tokens: AccessTokenSource;
  login(accountId: string): string;
}): ForwardingSink {
  const transports = new Map<string, Transporter>();
  const sink: ForwardingSink = {
    forwarded: 0,
    async accept(message) {
      let transport = transports.get(message.accountId);
      if (!transport) {
        const user = options.login(message.accountId);
        transport = nodemailer.createTransport({
          pool: true,
          maxConnections: 1,
          host: options.smtp.host,
          port: options.smtp.port,
          secure: false,
          requireTLS: true,
          tls: { ca: options.smtp.ca, minVersion: 'TLSv1.2' },
          auth: { type: 'OAuth2', user, accessToken: await options.tokens.getAccessToken(message.accountId) },
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 60_000,
        });
        transports.set(message.accountId, transport);
      }
      const info = await transport.sendMail({ envelope: message.envelope, raw: message.message });
      sink.forwarded += 1;
      return { id: String(info.messageId ?? `fwd-${sink.forwarded}`).replace(/[<>]/g, '') };
    },
    close() {
      for (const transport of transports.values()) transport.close();
      transports.clear();
    },
  };
  return sink;
}
