/**
 * Recipient parsing for the To/Cc/Bcc chips. People paste whole lists from spreadsheets,
 * signatures and other mail clients, so this accepts commas, semicolons, new lines and plain
 * spaces, `Name <address>` and `mailto:`. The check here is deliberately loose: it catches
 * typos early; main's mail domain does the real RFC 5322 / IDN validation before sending.
 * Where one entry ends is the shared rule (splitAddressList), so a pasted list and the same list
 * from a mailto: link make the same chips.
 */
import { MESSAGE_LIMITS, splitAddressList } from '../../../electron/mail/message-rules';

export type Recipient = {
  /** The bare address, e.g. `ada@example.com`. */
  address: string;
  /** A display name when one was typed (`Ada Lovelace <ada@example.com>`). */
  name?: string;
  /** False when the address does not look like an email address. */
  valid: boolean;
};

// Anything but whitespace and the characters that cannot appear unquoted in an address.
const PART = String.raw`[^\s@<>(),;:"\[\]\\]+`;
const ADDRESS = new RegExp(`^${PART}@${PART}\\.${PART}$`, 'u');

export function isValidAddress(address: string): boolean {
  return (
    address.length >= 3 &&
    address.length <= MESSAGE_LIMITS.maxAddressLength &&
    ADDRESS.test(address) &&
    !address.includes('..')
  );
}

function parseOne(token: string): Recipient[] {
  const angle = /^(.*)<([^<>]*)>\s*$/s.exec(token);
  if (angle) {
    const name = angle[1]!
      .trim()
      .replace(/^"(.*)"$/s, '$1')
      .trim();
    const address = stripMailto(angle[2]!.trim());
    return [name ? { address, name, valid: isValidAddress(address) } : { address, valid: isValidAddress(address) }];
  }
  // "a@x.org b@y.org" (space-separated, e.g. a pasted column) is several addresses.
  const words = token.split(/\s+/).map(stripMailto);
  if (words.length > 1 && words.every(isValidAddress)) return words.map((address) => ({ address, valid: true }));
  const address = stripMailto(token);
  return [{ address, valid: isValidAddress(address) }];
}

function stripMailto(text: string): string {
  return text.replace(/^mailto:/i, '').trim();
}

/** Parses free text (typed or pasted) into recipients, in order, without duplicates. */
export function parseRecipients(text: string): Recipient[] {
  return dedupe(splitAddressList(text).flatMap(parseOne));
}

/** Drops later duplicates of the same address (case-insensitive). */
export function dedupe(list: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = r.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adds new recipients after existing ones, skipping addresses already present. */
export function mergeRecipients(existing: readonly Recipient[], added: readonly Recipient[]): Recipient[] {
  return dedupe([...existing, ...added]);
}

/** What goes to `mail:send`: `Name <address>` when a name was typed, else the address. */
export function formatRecipient(r: Recipient): string {
  if (!r.name) return r.address;
  // Quote names with characters that would otherwise be read as address syntax.
  const name = /[",;:<>@()[\]\\]/.test(r.name) ? `"${r.name.replace(/(["\\])/g, '\\$1')}"` : r.name;
  return `${name} <${r.address}>`;
}

/** The inverse of `formatRecipient`, for drafts and for messages put back by Undo. */
export function recipientsFromStrings(list: readonly string[]): Recipient[] {
  return dedupe(list.flatMap((item) => parseOne(item.trim())));
}

/**
 * Autocomplete suggestions: addresses seen in history/outbox, most frequent first, that
 * start with (or have a word starting with) what was typed, excluding ones already chosen.
 */
export function suggestAddresses(
  known: readonly string[],
  typed: string,
  exclude: readonly Recipient[],
  limit = 6,
): string[] {
  const query = typed.trim().toLowerCase();
  if (!query) return [];
  const excluded = new Set(exclude.map((r) => r.address.toLowerCase()));
  const counts = new Map<string, { display: string; count: number }>();
  for (const item of known) {
    for (const r of recipientsFromStrings([item])) {
      if (!r.valid) continue;
      const key = r.address.toLowerCase();
      const entry = counts.get(key) ?? { display: formatRecipient(r), count: 0 };
      // Prefer a form with a display name once one has been seen.
      if (r.name && entry.display === r.address) entry.display = formatRecipient(r);
      entry.count += 1;
      counts.set(key, entry);
    }
  }
  return [...counts.entries()]
    .filter(
      ([key, { display }]) =>
        !excluded.has(key) &&
        (key.startsWith(query) ||
          display
            .toLowerCase()
            .split(/[\s<>"]+/)
            .some((w) => w.startsWith(query))),
    )
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([, { display }]) => display);
}
