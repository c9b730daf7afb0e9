/**
 * Email addresses as people type them: `Name <user@example.com>`, `"Smith, John" <j@x.org>`,
 * or internationalized `Jörg <jörg@bücher.de>` (RFC 6532 local parts, IDN domains checked in
 * their punycode form). nodemailer's addressparser splits the display name from the address;
 * this module decides whether the address is one we can hand to an SMTP server.
 */
import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';

/** One mailbox: the display name may be empty. */
export type Mailbox = { name: string; address: string };

/** Why an entry is not a usable address, in plain words (no trailing period). */
export type AddressProblem = 'empty' | 'several' | 'group' | 'syntax' | 'domain';

// RFC 5322 atext plus any non-ASCII character (RFC 6532 allows UTF-8 in local parts).
const ATEXT = String.raw`[A-Za-z0-9!#$%&'*+\-/=?^_\x60{|}~\u0080-\u{10FFFF}]`;
const DOT_ATOM = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`, 'u');
// A quoted local part: printable ASCII or UTF-8 except an unescaped quote or backslash.
const QUOTED = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Checks an address (no display name). Returns the problem, or null when it is fine. */
export function checkAddress(address: string): AddressProblem | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return 'syntax';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (Buffer.byteLength(local, 'utf8') > 64) return 'syntax';
  if (!DOT_ATOM.test(local) && !QUOTED.test(local)) return 'syntax';
  return checkDomain(domain) ? null : 'domain';
}

/** A host name that mail can be delivered to: IDN allowed, at least two labels, alphabetic TLD. */
export function checkDomain(domain: string): boolean {
  if (domain.startsWith('[')) return false; // address literals: not something people type
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return false;
  const labels = ascii.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !/^[0-9]+$/.test(labels.at(-1) ?? '');
}

/**
 * Parses one typed entry into a mailbox. Exactly one address per entry: a comma-separated
 * pair or a group is refused, so the person sees which entry is wrong.
 */
export function parseMailbox(raw: string): { mailbox: Mailbox } | { problem: AddressProblem } {
  const text = raw.trim();
  if (!text) return { problem: 'empty' };
  const parsed = addressparser(text);
  if (parsed.length > 1) return { problem: 'several' };
  const [entry] = parsed;
  if (!entry) return { problem: 'syntax' };
  if (entry.group) return { problem: 'group' };
  const address = entry.address.trim();
  if (!address) return { problem: 'syntax' };
  // addressparser is lenient: "Name <a@b.com> tail" and "a b@c.com" both parse. Refuse input
  // that does not look like either a bare address or "Name <address>".
  if (text.includes('<') ? !text.endsWith('>') : text !== address) return { problem: 'syntax' };
  const problem = checkAddress(address);
  return problem ? { problem } : { mailbox: { name: entry.name.trim(), address } };
}

/** `Name <address>` for display and history (the name quoted when it needs to be). */
export function formatMailbox(mailbox: Mailbox): string {
  if (!mailbox.name) return mailbox.address;
  const name = /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~]*$/u.test(mailbox.name) ? mailbox.name : JSON.stringify(mailbox.name);
  return `${name} <${mailbox.address}>`;
}

/** Plain words for an address problem, used in error messages. */
export function describeProblem(problem: AddressProblem): string {
  switch (problem) {
    case 'empty':
      return 'is empty';
    case 'several':
      return 'holds more than one address; put each address in its own entry';
    case 'group':
      return 'is an address group, which Quicksend cannot send to';
    case 'syntax':
      return 'is not a valid email address';
    case 'domain':
      return 'has a domain name that cannot receive mail';
  }
}
