/**
 * Email addresses as people type them: `Name <user@example.com>`, `"Smith, John" <j@x.org>`,
 * or internationalized `Jörg <jörg@bücher.de>` (RFC 6532 local parts, IDN domains checked in
 * their punycode form). nodemailer's addressparser splits the display name from the address;
 * this module decides whether the address is one we can hand to an SMTP server.
 */
import { addressparser } from './nodemailer-parts';
import { checkAddress, type AddressProblem } from './address-rules';

export { checkAddress, checkDomain, describeProblem, type AddressProblem } from './address-rules';

/** One mailbox: the display name may be empty. */
export type Mailbox = { name: string; address: string };

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
