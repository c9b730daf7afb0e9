/**
 * A bare SMTP client for refusal tests: it sends exactly the lines a test gives and answers
 * each complete reply (multi-line replies joined), so a test sees precisely what the relay said.
 */
import net from 'node:net';
import tls from 'node:tls';

export type Reply = { code: number; text: string };

export type SmtpTalk = {
  /** The greeting (or the 421 a full or closing relay sends instead). */
  greeting: Promise<Reply>;
  /** Sends one line (CRLF added) and answers the reply to it. */
  send(line: string): Promise<Reply>;
  /** Sends raw bytes without waiting for anything (a message body, a stall). */
  write(data: string | Buffer): void;
  /** The next reply, for commands whose reply comes later (after DATA's end). */
  next(): Promise<Reply>;
  /** Upgrades with STARTTLS (the caller sent it and got 220), trusting `ca`. */
  startTls(ca: string): Promise<void>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
  /** Bytes received that did not form a reply yet. */
  pending(): string;
  close(): void;
};

export function smtpTalk(port: number, host = '127.0.0.1', options: { implicitTls?: string } = {}): SmtpTalk {
  let socket: net.Socket = options.implicitTls
    ? tls.connect({ port, host, ca: options.implicitTls })
    : net.connect({ port, host });
  let buffer = '';
  let closed = false;
  const replies: Reply[] = [];
  const waiters: Array<(reply: Reply) => void> = [];
  let onClosed: () => void = () => {};
  const closedPromise = new Promise<void>((resolve) => (onClosed = resolve));

  const deliver = (reply: Reply) => {
    const waiter = waiters.shift();
    if (waiter) waiter(reply);
    else replies.push(reply);
  };
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (;;) {
      // A reply ends at a line "NNN " (or "NNN" alone); "NNN-" lines continue it.
      const match = /^(?:\d{3}-[^\n]*\n)*(\d{3})(?: [^\n]*)?\r?\n/.exec(buffer);
      if (!match) break;
      const text = match[0].trimEnd();
      buffer = buffer.slice(match[0].length);
      deliver({ code: Number(match[1]), text });
    }
  };
  const attach = (s: net.Socket) => {
    s.on('data', onData);
    s.on('error', () => {});
    s.on('close', () => {
      closed = true;
      onClosed();
      // Anything still waiting learns that no reply will come.
      for (const waiter of waiters.splice(0)) waiter({ code: 0, text: 'connection closed' });
    });
  };
  attach(socket);

  const next = () =>
    new Promise<Reply>((resolve) => {
      const queued = replies.shift();
      if (queued) resolve(queued);
      else if (closed) resolve({ code: 0, text: 'connection closed' });
      else waiters.push(resolve);
    });
  return {
    greeting: next(),
    next,
    send(line) {
      socket.write(`${line}\r\n`);
      return next();
    },
    write: (data) => void socket.write(data),
    startTls: (ca) =>
      new Promise<void>((resolve, reject) => {
        socket.removeListener('data', onData);
        const secure = tls.connect({ socket, ca, servername: undefined, host }, () => resolve());
        secure.once('error', reject);
        socket = secure;
        secure.on('data', onData);
      }),
    closed: closedPromise,
    isClosed: () => closed,
    pending: () => buffer,
    close: () => socket.destroy(),
  };
}

/** base64 of an AUTH PLAIN response (RFC 4616): authzid, authcid, password. */
export function plainAuth(username: string, password: string): string {
  return Buffer.from(`\0${username}\0${password}`, 'utf8').toString('base64');
}
