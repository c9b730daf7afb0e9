/**
 * The header edits a message submission agent may make (RFC 6409 section 8): Bcc removed
 * (RFC 5322 3.6.3), Date (8.2) and Message-ID (8.3) added when missing, From rewritten when
 * the credential says so (8.8). Pure: it works on the header block alone and never looks at
 * the body, which the relay passes on untouched (relay/message-stream.ts).
 */
import { addressparser, encodeWord } from '../mail/nodemailer-parts';

export type HeaderEditOptions = {
  /** When the relay took the message: the Date field's value if the client gave none. */
  now: Date;
  /** Right-hand side of an added Message-ID (the account's domain). */
  messageIdDomain: string;
  /** Left-hand side of an added Message-ID (random; injectable so tests are stable). */
  messageIdLocal: string;
  /** Replace every From field by one with this address (keeping the first display name). */
  rewriteFrom?: { address: string; displayName: string };
  /** The From to add when the message has none (RFC 5322 requires one). */
  defaultFrom: { address: string; displayName: string };
};

export type HeaderEditResult = {
  /** The edited header block, ending with its blank line when the input had one. */
  head: Buffer;
  /** Every address of the From field(s) as they will be sent (after any rewrite). */
  from: string[];
  removed: { bcc: number };
  added: { date: boolean; messageId: boolean; from: boolean };
  rewroteFrom: boolean;
};

type Field = { name: string; raw: Buffer };

/**
 * Where the header block ends: the index just past its blank line, or -1 when `data` holds no
 * blank line yet. Bare LF line ends are taken too (some programs pipe Unix text).
 */
export function headerEnd(data: Buffer, from = 0): number {
  // A message that starts with a blank line has an empty header block.
  if (from === 0) {
    if (data[0] === 0x0a) return 1;
    if (data[0] === 0x0d && data[1] === 0x0a) return 2;
  }
  let index = Math.max(0, from - 3);
  for (;;) {
    const lf = data.indexOf(0x0a, index);
    if (lf < 0 || lf + 1 >= data.length) return -1;
    if (data[lf + 1] === 0x0a) return lf + 2;
    if (data[lf + 1] === 0x0d && data[lf + 2] === 0x0a) return lf + 3;
    if (data[lf + 1] === 0x0d && lf + 2 >= data.length) return -1;
    index = lf + 1;
  }
}

/** Splits a header block (without its blank line) into fields, folded lines kept with theirs. */
function splitFields(block: Buffer): Field[] {
  const fields: Field[] = [];
  let start = 0;
  while (start < block.length) {
    let end = start;
    // A field runs until a line that does not start with a space or tab (RFC 5322 2.2.3).
    for (;;) {
      const lf = block.indexOf(0x0a, end);
      end = lf < 0 ? block.length : lf + 1;
      if (end >= block.length || (block[end] !== 0x20 && block[end] !== 0x09)) break;
    }
    const raw = block.subarray(start, end);
    const colon = raw.indexOf(0x3a);
    const name = colon > 0 ? raw.subarray(0, colon).toString('latin1').trim().toLowerCase() : '';
    fields.push({ name, raw });
    start = end;
  }
  return fields;
}

/** A field's value unfolded, as text (8-bit bytes as UTF-8, RFC 6532). */
function valueOf(field: Field): string {
  const text = field.raw.toString('utf8');
  return text
    .slice(text.indexOf(':') + 1)
    .replace(/\r?\n(?=[ \t])/g, '')
    .trim();
}

/** An RFC 5322 date-time in UTC with a numeric zone ("GMT" is obsolete syntax, 4.3). */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function mailbox(displayName: string, address: string): string {
  if (!displayName) return address;
  // Non-ASCII names as RFC 2047 encoded words; ASCII ones quoted when they need it.
  const name = /[^\x20-\x7e]/.test(displayName)
    ? encodeWord(displayName, 'Q', 52)
    : /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(displayName)
      ? displayName
      : `"${displayName.replace(/(["\\])/g, '\\$1')}"`;
  return `${name} <${address}>`;
}

/** The addresses a From value names (groups flattened), lower-cased for comparison elsewhere. */
export function fromAddresses(value: string): string[] {
  return addressparser(value, { flatten: true })
    .map((entry) => entry.address)
    .filter((address) => address.length > 0);
}

/** Length of the blank line that ends `head` (2 for CRLF, 1 for LF), or 0 when it has none. */
function blankLineLength(head: Buffer): number {
  const text = head.subarray(Math.max(0, head.length - 3)).toString('latin1');
  if (head.length === 2 && text === '\r\n') return 2;
  if (head.length === 1 && text === '\n') return 1;
  if (text.endsWith('\n\r\n')) return 2;
  if (text.endsWith('\n\n')) return 1;
  return 0;
}

/**
 * Edits one header block as RFC 6409 section 8 allows. `head` is the bytes up to and including
 * the blank line (or the whole message when it has no body); the result keeps its line ends.
 */
export function editHeaderBlock(head: Buffer, options: HeaderEditOptions): HeaderEditResult {
  const blankLength = blankLineLength(head);
  const block = head.subarray(0, head.length - blankLength);
  const blank = head.subarray(head.length - blankLength);
  const eol = block.includes('\r\n') || blank.length === 2 || block.length === 0 ? '\r\n' : '\n';
  const fields = splitFields(block);
  // A last field without its line end (a message that is all header) gets one before additions.
  const last = fields.at(-1);
  if (last && last.raw[last.raw.length - 1] !== 0x0a) last.raw = Buffer.concat([last.raw, Buffer.from(eol)]);

  const kept = fields.filter((field) => field.name !== 'bcc');
  const removedBcc = fields.length - kept.length;
  const has = (name: string) => kept.some((field) => field.name === name);
  const line = (text: string) => ({
    name: text.slice(0, text.indexOf(':')).toLowerCase(),
    raw: Buffer.from(text + eol, 'utf8'),
  });

  const fromFields = kept.filter((field) => field.name === 'from');
  let from = fromFields.flatMap((field) => fromAddresses(valueOf(field)));
  let out = kept;
  let rewroteFrom = false;
  let addedFrom = false;
  if (options.rewriteFrom) {
    const firstName =
      fromFields.length > 0 ? (addressparser(valueOf(fromFields[0]!), { flatten: true })[0]?.name ?? '') : '';
    const replacement = line(
      `From: ${mailbox(firstName || options.rewriteFrom.displayName, options.rewriteFrom.address)}`,
    );
    const at = out.findIndex((field) => field.name === 'from');
    out = out.filter((field) => field.name !== 'from');
    out.splice(at < 0 ? 0 : at, 0, replacement);
    rewroteFrom = true;
    addedFrom = fromFields.length === 0;
    from = [options.rewriteFrom.address];
  } else if (fromFields.length === 0) {
    out = [line(`From: ${mailbox(options.defaultFrom.displayName, options.defaultFrom.address)}`), ...out];
    addedFrom = true;
    from = [options.defaultFrom.address];
  }
  const addDate = !has('date');
  const addMessageId = !has('message-id');
  if (addDate) out.push(line(`Date: ${formatDate(options.now)}`));
  if (addMessageId) out.push(line(`Message-ID: <${options.messageIdLocal}@${options.messageIdDomain}>`));
  return {
    head: Buffer.concat([...out.map((field) => field.raw), blank]),
    from,
    removed: { bcc: removedBcc },
    added: { date: addDate, messageId: addMessageId, from: addedFrom },
    rewroteFrom,
  };
}
