/**
 * Reads a `mailto:` URL (RFC 6068) into a quick-send prefill: the recipients of the to-part,
 * and the `to`, `cc`, `bcc`, `subject` and `body` header fields. Every other field is ignored,
 * `attach`/`attachment` included: a web page could otherwise make us attach a local file
 * (a known way of leaking files through mail clients). Values are percent-decoded once as
 * UTF-8; `+` stays `+` (RFC 6068 section 5); a field that does not decode is dropped.
 */
import {
  addRecipients,
  cleanMultiLine,
  cleanSingleLine,
  emptyPrefill,
  PREFILL_LIMITS,
  type ComposePrefill,
} from './compose-prefill';

/** Longer URLs are refused outright; no OS passes a sane mailto: link of this size. */
export const MAX_MAILTO_LENGTH = 2 * 1024 * 1024;

// eslint-disable-next-line no-control-regex -- a raw control character means the URL was tampered with
const RAW_CONTROL = /[\u0000-\u001F\u007F]/;

function decode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Whether `value` looks like a mailto: URL at all (scheme is case-insensitive). */
export function isMailtoUrl(value: string): boolean {
  return /^mailto:/i.test(value.trimStart());
}

/** The prefill a `mailto:` link asks for, or null when it is not a usable mailto: URL. */
export function parseMailto(url: string): ComposePrefill | null {
  if (typeof url !== 'string' || url.length > MAX_MAILTO_LENGTH) return null;
  const trimmed = url.trim();
  if (!isMailtoUrl(trimmed) || RAW_CONTROL.test(trimmed)) return null;
  // RFC 6068 has no fragment; a '#' must be percent-encoded inside values.
  const withoutFragment = trimmed.slice('mailto:'.length).split('#', 1)[0]!;
  const queryAt = withoutFragment.indexOf('?');
  const toPart = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const query = queryAt === -1 ? '' : withoutFragment.slice(queryAt + 1);

  const prefill = emptyPrefill();
  const decodedTo = decode(toPart);
  if (decodedTo !== null) addRecipients(prefill.to, decodedTo);
  let subject: string | undefined;
  let body: string | undefined;
  for (const field of query.split('&')) {
    const eq = field.indexOf('=');
    if (eq <= 0) continue;
    const name = decode(field.slice(0, eq))?.trim().toLowerCase();
    const value = decode(field.slice(eq + 1));
    if (name === undefined || value === null) continue;
    switch (name) {
      case 'to':
        addRecipients(prefill.to, value);
        break;
      case 'cc':
        addRecipients(prefill.cc, value);
        break;
      case 'bcc':
        addRecipients(prefill.bcc, value);
        break;
      // The first subject and body win: a later duplicate cannot replace what was shown first.
      case 'subject':
        subject ??= value;
        break;
      case 'body':
        body ??= value;
        break;
      default:
        // attach, attachment, from, in-reply-to, x-*...: never honoured.
        break;
    }
  }
  prefill.subject = cleanSingleLine(subject ?? '', PREFILL_LIMITS.subjectLength);
  prefill.text = cleanMultiLine(body ?? '', PREFILL_LIMITS.textLength);
  return prefill;
}
