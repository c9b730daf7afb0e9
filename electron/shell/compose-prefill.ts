/**
 * What a `mailto:` link or `quicksend --compose` may put into quick send, and the cleaning
 * every value goes through first. Both sources are untrusted (any web page can hand the OS a
 * mailto: link), so each field is bounded by the message limits, recipients and the subject are
 * single-line, and nothing here can send: the person still presses Send.
 */
import { formatMailbox, parseMailbox } from '../mail/addresses';
import { MESSAGE_LIMITS, splitAddressList } from '../mail/message-rules';

/** A prefilled message before its attachment paths are checked by `files:describe`. */
export type ComposePrefill = {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  /** Absolute paths, from the command line only (never from mailto:). */
  attachmentPaths: string[];
};

/**
 * Bounds: a link or command line asking for more is cut, never trusted to be reasonable. They are
 * the message's own limits, so a prefill never holds more than a send accepts in one field, nor
 * cuts what the person could have typed.
 */
export const PREFILL_LIMITS = Object.freeze({
  recipientsPerField: MESSAGE_LIMITS.maxRecipients,
  addressLength: MESSAGE_LIMITS.maxAddressLength,
  subjectLength: MESSAGE_LIMITS.maxSubjectLength,
  textLength: MESSAGE_LIMITS.maxTextLength,
  attachments: MESSAGE_LIMITS.maxAttachments,
  pathLength: 4096,
});

export function emptyPrefill(): ComposePrefill {
  return { to: [], cc: [], bcc: [], subject: '', text: '', attachmentPaths: [] };
}

const LONE_SURROGATE_SOURCE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const LONE_SURROGATE = new RegExp(LONE_SURROGATE_SOURCE, 'g');
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE_SOURCE);
// CR, LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR: anything a mail client might treat as a line end.
const LINE_BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS_EXCEPT_TAB_LF = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// Bidi overrides/isolates and zero-width characters can make one address look like another.
const INVISIBLE_IN_ADDRESS = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// What an address must not hold (controls, lone surrogates) is marked before a list is cut, so a
// line break cannot pass for a separator and the entry that held it is dropped whole.
const UNSAFE_IN_LIST = new RegExp(`${ANY_CONTROL.source}|${LONE_SURROGATE_SOURCE}`, 'g');
const MARK = '\uFFFD';

/** Cuts to `max` UTF-16 units without leaving half a surrogate pair at the end. */
function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** One line of text: line breaks become spaces, other controls go, then trim and cut. */
export function cleanSingleLine(value: string, max: number): string {
  const line = value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(LINE_BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROLS_EXCEPT_TAB_LF, '')
    .trim();
  return cut(line, max);
}

/** A body: line ends become `\n`, controls other than tab and newline go, then cut. */
export function cleanMultiLine(value: string, max: number): string {
  return cut(
    value.replace(LONE_SURROGATE, '\uFFFD').replace(LINE_BREAKS, '\n').replace(CONTROLS_EXCEPT_TAB_LF, ''),
    max,
  );
}

/**
 * One recipient as typed (`ada@example.com` or `Ada <ada@example.com>`), or null when it is
 * not worth showing: empty, too long, no `@`, or carrying a control character (a line break in
 * an address is an injection attempt, not a typo, so the address is dropped rather than mended).
 * The mail layer validates properly (RFC 5322, IDN) when the person sends.
 */
export function cleanAddress(value: string): string | null {
  if (ANY_CONTROL.test(value) || HAS_LONE_SURROGATE.test(value) || value.includes(MARK)) return null;
  const trimmed = value.replace(INVISIBLE_IN_ADDRESS, '').trim();
  if (trimmed.length === 0 || trimmed.length > PREFILL_LIMITS.addressLength) return null;
  if (!trimmed.includes('@')) return null;
  return trimmed;
}

/** The entry as main would write it when `mail:send` can read it, else as typed. */
function normalised(entry: string): { entry: string; key: string } {
  const read = parseMailbox(entry);
  if ('problem' in read) return { entry, key: entry.toLowerCase() };
  const formatted = formatMailbox(read.mailbox);
  return {
    entry: formatted.length <= PREFILL_LIMITS.addressLength ? formatted : entry,
    key: read.mailbox.address.toLowerCase(),
  };
}

/**
 * Adds the entries of `raw` (`a@x, "Doe, J" <j@y>`) to `list`, up to the limit, skipping an
 * address already there (in any case). The list is cut by the composer's own rule
 * (splitAddressList), except that a line break here is an injection attempt, not a separator;
 * each entry is read with the parser `mail:send` uses (nodemailer's addressparser, through
 * parseMailbox), so an entry the send accepts arrives written as main writes it, and one it
 * cannot read arrives as typed, for the person to mend.
 */
export function addRecipients(list: string[], raw: string): void {
  const seen = new Set(list.map((known) => normalised(known).key));
  for (const part of splitAddressList(raw.replace(UNSAFE_IN_LIST, MARK))) {
    if (list.length >= PREFILL_LIMITS.recipientsPerField) return;
    const address = cleanAddress(part);
    if (!address) continue;
    const { entry, key } = normalised(address);
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(entry);
  }
}
