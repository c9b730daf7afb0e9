/**
 * The message rules both processes apply: how many recipients and files one message may carry,
 * how long its fields may be, how large it is once encoded for sending, how sizes read, and where
 * one entry of a typed address list ends. The contract builds `mail:send` and drafts from
 * MESSAGE_LIMITS, main refuses with the same arithmetic, and the composer checks and meters with
 * this very file, so the size meter cannot promise what the send refuses.
 *
 * It lives beside address-rules.ts in mail/ because these are mail rules, not IPC. It imports
 * nothing and calls no Node or DOM API, so it runs unchanged in main, in the preload and in the
 * sandboxed renderer, which may import it as a value (the one exception eslint.config.js names).
 */

/**
 * One set of limits for the composer, the contract, main and prefilled messages.
 *
 * - `maxRecipients` (100, To + Cc + Bcc together): every SMTP server must take 100 recipients in
 *   one transaction (RFC 5321 section 4.5.3.1.8), and Gmail refuses more than 100 per message sent
 *   over SMTP (its 500 is the web interface's) and may stop the account sending for a day. The
 *   composer and the contract allowed 500, main 100: the composer said yes where the send said no.
 * - `maxAttachments` (100): the provider's size limit is what really bounds attachments. 100 is
 *   what one drop or one file dialog hands over, so whatever a person attaches in one go can be
 *   sent; main's old 20 refused a folder of photos that fitted the size limit with room to spare.
 * - `maxAddressLength` (320): 64 octets of local part, `@`, 255 of domain (RFC 3696 section 3),
 *   counted on the entry as typed, display name included.
 * - `maxSubjectLength` (998): RFC 5322's line limit (section 2.1.1).
 * - `maxTextLength` (10 MiB of UTF-16 units): far above any typed message; the provider's size
 *   limit decides before this does. A mailto: link or command line may prefill as much as the
 *   person could type (it was cut at 256 KiB before); nothing prefilled is sent without Send.
 */
export const MESSAGE_LIMITS = Object.freeze({
  maxRecipients: 100,
  maxAttachments: 100,
  maxAddressLength: 320,
  maxSubjectLength: 998,
  maxTextLength: 10 * 1024 * 1024,
});

// ---- size on the wire ------------------------------------------------------------------------

/** Characters per base64 line (RFC 2045 section 6.8); each line ends in CRLF. */
const BASE64_LINE = 76;
/**
 * The headers of the message and of its text part: From, To, Cc, Subject, Date, Message-ID, MIME
 * and the multipart boundaries. nodemailer writes about 500 bytes for a message to a handful of
 * people; 4 kB also covers a long subject or a few dozen recipients.
 */
export const MESSAGE_OVERHEAD = 4096;
/** Each attachment's part headers (boundary, Content-Type, Content-Disposition, file name). */
export const PART_OVERHEAD = 512;

/** Exact base64 length of `bytes` with the CRLF that MIME puts after every full or last line. */
export function base64Size(bytes: number): number {
  if (bytes <= 0) return 0;
  const chars = 4 * Math.ceil(bytes / 3);
  return chars + 2 * Math.ceil(chars / BASE64_LINE);
}

// nodemailer wraps quoted-printable at 76 characters but may end a line early, at a space or to
// keep an escape or a UTF-8 sequence whole; no soft-broken line is shorter than 48 (lib/qp wrap).
const QP_SHORTEST_LINE = 48;

/**
 * The text part's body on the wire, as nodemailer writes it (lib/mime-node): as it is (7bit)
 * when it is plain ASCII in lines of at most 76 characters; else quoted-printable when Latin
 * letters outnumber the other characters; else base64. Line ends go out as CR LF. Soft line
 * breaks of quoted-printable are counted as if every line were the shortest nodemailer makes,
 * so the figure errs on the high side. It matters: German prose grows by about three quarters
 * in quoted-printable, against base64's third.
 */
export function textPartSize(text: string): number {
  if (!text) return 0;
  let bytes = 0;
  let latin = 0;
  let other = 0;
  let quoted = 0;
  let bareBreaks = 0;
  let line = 0;
  let longest = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code === 0x0d || code === 0x0a) {
      // CR LF is one line end; a CR or LF alone becomes CR LF on the wire.
      const pair = code === 0x0d && next === 0x0a;
      bytes += pair ? 2 : 1;
      quoted += pair ? 2 : 1;
      bareBreaks += pair ? 0 : 1;
      longest = Math.max(longest, line);
      line = 0;
      if (pair) i += 1;
      continue;
    }
    line += 1;
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin += 1;
    else if (code >= 0x80 || (code < 0x20 && code !== 0x09)) other += 1;
    if (code < 0x80) {
      // Quoted-printable writes it as is, except "=", controls, and a blank that ends a line.
      const blank = code === 0x20 || code === 0x09;
      const literal = blank
        ? !(Number.isNaN(next) || next === 0x0a || next === 0x0d)
        : code >= 0x21 && code <= 0x7e && code !== 0x3d;
      bytes += 1;
      quoted += literal ? 1 : 3;
      continue;
    }
    // UTF-8 bytes, each escaped in quoted-printable; a lone surrogate goes out as U+FFFD.
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    const length = code < 0x800 ? 2 : pair ? 4 : 3;
    bytes += length;
    quoted += 3 * length;
    if (pair) {
      i += 1;
      line += 1;
      other += 1;
    }
  }
  longest = Math.max(longest, line);
  // The part ends with a line break of its own unless the text already does.
  const ending = bareBreaks + (/[\r\n]$/.test(text) ? 0 : 2);
  if (other === 0 && longest <= 76 && text.length <= 128 * 1024) return bytes + ending;
  if (other >= latin) return base64Size(bytes);
  const softBreaks = quoted > 76 ? Math.floor(quoted / QP_SHORTEST_LINE) : 0;
  return quoted + 3 * softBreaks + ending;
}

/**
 * The message size on the wire, on the high side: fixed header allowances, the text part as
 * nodemailer encodes it, and every attachment in base64. Attachments go base64 from their plain
 * bytes (the outbox keeps them encrypted, but sends the plain file), so a 10 MB file costs about
 * 13.7 MB of the provider's limit. Main refuses above the account's limit with this number and
 * the composer meters with it, so the two never disagree.
 */
export function encodedMessageSize(text: string, attachmentBytes: readonly number[]): number {
  return (
    MESSAGE_OVERHEAD +
    textPartSize(text) +
    attachmentBytes.reduce((sum, bytes) => sum + PART_OVERHEAD + base64Size(bytes), 0)
  );
}

const UNITS = ['KB', 'MB', 'GB'] as const;

/**
 * `532 bytes`, `12 KB`, `4.2 MB`, in binary units (1 KB = 1024 bytes): the providers' limits are
 * kept that way (accounts/providers.ts), so a limit reads as the round number the provider
 * advertises ("25 MB"), in the composer's meter and in main's refusal alike.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${UNITS[unit]}`;
}

// ---- address lists ---------------------------------------------------------------------------

/**
 * Cuts a typed or pasted address list into its entries: at commas, semicolons and line breaks,
 * but not inside a "quoted name" (where a backslash escapes the next character) or <angle
 * brackets>. Entries come back trimmed, empty ones dropped, each still as typed: reading an entry
 * (display name, address) is the caller's job. The composer's chips and a prefilled `mailto:` or
 * `--to` list are cut by this one rule.
 */
export function splitAddressList(text: string): string[] {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && quoted && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle += 1;
    else if (!quoted && ch === '>' && angle > 0) angle -= 1;
    if (!quoted && angle === 0 && (ch === ',' || ch === ';' || ch === '\n' || ch === '\r')) {
      entries.push(current);
      current = '';
    } else current += ch;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter(Boolean);
}
