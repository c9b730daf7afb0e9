/**
 * Whether an address can be handed to an SMTP server: RFC 5322 dot-atom or quoted local parts,
 * UTF-8 local parts (RFC 6532), IDN domains checked in their punycode form. No Node or DOM
 * APIs beyond URL and TextEncoder, so the IPC contract (and so every process) can use the same
 * rule that `mail:send` applies.
 */

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
  if (new TextEncoder().encode(local).length > 64) return 'syntax';
  if (!DOT_ATOM.test(local) && !QUOTED.test(local)) return 'syntax';
  return checkDomain(domain) ? null : 'domain';
}

/** A host name that mail can be delivered to: IDN allowed, at least two labels, alphabetic TLD. */
export function checkDomain(domain: string): boolean {
  if (domain.startsWith('[')) return false; // address literals: not something people type
  const ascii = toAsciiDomain(domain);
  if (!ascii || ascii.length > 253) return false;
  const labels = ascii.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !/^[0-9]+$/.test(labels.at(-1) ?? '');
}

// WHATWG forbidden domain code points: a domain holding one is no domain, and inside a URL it
// would end the host early ("evil.example#x.org"), so it is refused before URL sees it.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_DOMAIN = /[\u0000-\u0020#%/:<>?@[\\\]^|\u007f]/;

/** The punycode (ASCII) form of a domain, as Node's domainToASCII gives it; '' when invalid. */
function toAsciiDomain(domain: string): string {
  if (!domain || FORBIDDEN_IN_DOMAIN.test(domain)) return '';
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return '';
  }
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
