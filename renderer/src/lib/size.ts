/**
 * Size arithmetic for the attachment meter. Providers limit the size of the whole message as
 * sent, and attachments travel base64-encoded: every 3 bytes become 4 characters, and the
 * encoded text is broken into 76-character lines ending in CRLF (RFC 2045). So a 10 MB file
 * costs about 13.7 MB of the limit, which is why "25 MB" at Gmail holds only ~18 MB of files.
 */

/** Characters per encoded line (RFC 2045 section 6.8). */
export const BASE64_LINE = 76;
/** Per-attachment MIME part headers (boundary, Content-Type, -Disposition, filename). */
export const PART_OVERHEAD = 300;
/** Message headers plus the text part's own headers. */
export const MESSAGE_OVERHEAD = 2048;

/** Exact base64 length of `bytes` with CRLF after every full or final line. */
export function base64EncodedSize(bytes: number): number {
  if (bytes <= 0) return 0;
  const chars = 4 * Math.ceil(bytes / 3);
  return chars + 2 * Math.ceil(chars / BASE64_LINE);
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * The estimated size of the message on the wire: headers, the body (non-ASCII text is sent
 * as base64 too, so it is counted that way), and every attachment encoded.
 */
export function estimateMessageSize(text: string, attachmentSizes: readonly number[]): number {
  const body = utf8Length(text);
  const ascii = /^[\x20-\x7e\t\r\n]*$/.test(text);
  const bodySize = ascii ? body + Math.ceil(body / 998) * 2 : base64EncodedSize(body);
  return MESSAGE_OVERHEAD + bodySize + attachmentSizes.reduce((sum, size) => sum + PART_OVERHEAD + base64EncodedSize(size), 0);
}

const UNITS = ['KB', 'MB', 'GB'] as const;

/** `532 bytes`, `12 KB`, `4.2 MB` (1 KB = 1024 bytes, as file managers show). */
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
