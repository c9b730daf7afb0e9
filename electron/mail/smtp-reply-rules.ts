/**
 * The known SMTP answers and connection failures, in plain words with a fix. Order matters:
 * the first rule that matches wins, specific wording before reply-code families. Sources for
 * each family are the entries of test/fixtures/provider-errors.json.
 */
import { certificateProblemOf, type CertificateProblem } from './certificate-problem';

// The error vocabulary lives here, beside the rules that use it; smtp-errors.ts re-exports it.
/** The class of a failure, as in provider-errors.json (plus `certificate`, found before any reply). */
export type SmtpErrorClass =
  'transient' | 'auth' | 'needs-sign-in' | 'policy' | 'user-action' | 'permanent' | 'certificate';
/** What the outbox does with it. */
export type SmtpAction = 'retry' | 'reauthenticate' | 'check-certificate' | 'fail';
/** Which layer failed, for `accounts:test` and the outbox view. */
export type SmtpLayer = 'network' | 'tls' | 'authentication' | 'policy' | 'message';

export type ReplySubject = { text: string; code: number | null; enhanced: string | null; challenge: boolean };
export type Rule = {
  class: SmtpErrorClass;
  message: string;
  hint: string;
  layer?: SmtpLayer;
  certificate?: CertificateProblem;
  test(s: ReplySubject): boolean;
};

const has = (pattern: RegExp) => (s: ReplySubject) => pattern.test(s.text);
const enhanced =
  (...codes: string[]) =>
  (s: ReplySubject) =>
    s.enhanced !== null && codes.includes(s.enhanced);
const code =
  (...codes: number[]) =>
  (s: ReplySubject) =>
    s.code !== null && codes.includes(s.code);
const any =
  (...tests: Array<(s: ReplySubject) => boolean>) =>
  (s: ReplySubject) =>
    tests.some((t) => t(s));

/**
 * Gmail answers a refused XOAUTH2 token with `334 <base64 JSON>` (developers.google.com/gmail/
 * imap/xoauth2-protocol); nodemailer replies with an empty line and then reports the final 535.
 * Returns the decoded JSON text when `text` is such a challenge (or already the JSON), else null.
 */
export function decodeChallenge(text: string, code: number | null): string | null {
  if (text.startsWith('{') && /"status"/.test(text)) return text;
  const blob = code === 334 ? /^334[ -](\S+)/.exec(text)?.[1] : undefined;
  if (!blob) return null;
  const decoded = Buffer.from(blob, 'base64').toString('utf8');
  return /"status"/.test(decoded) ? decoded : null;
}

export const replyRules: Rule[] = [
  {
    test: (s) => s.challenge,
    class: 'auth',
    message:
      'The provider did not accept the sign-in token for sending mail: it lacks the mail permission or belongs to another address.',
    hint: 'Sign in to the account again and allow Quicksend to send mail.',
  },
  {
    test: has(/SmtpClientAuthentication is disabled/i),
    class: 'policy',
    message: 'Your organization has turned off sending through SMTP (SMTP AUTH) for this mailbox.',
    hint: 'Ask your Microsoft 365 administrator to enable Authenticated SMTP for your mailbox (https://aka.ms/smtp_auth_disabled).',
  },
  {
    test: has(/Must issue a STARTTLS/i),
    class: 'permanent',
    layer: 'tls',
    message: 'The server wants an encrypted connection before anything else.',
    hint: 'Use port 587 with STARTTLS, or port 465 with TLS, in the account settings.',
  },
  {
    test: enhanced('5.7.9'),
    class: 'user-action',
    message: 'The provider asks for an app password for this login.',
    hint: 'Sign in with OAuth again; Quicksend never uses passwords.',
  },
  {
    test: enhanced('5.7.14'),
    class: 'needs-sign-in',
    message: 'The provider blocked the sign-in and wants you to confirm it in a browser.',
    hint: 'Sign in to your mailbox on the web, clear any security prompt, then sign in to the account again.',
  },
  {
    test: has(/OutboundSpamException|HipNotify|verification/i),
    class: 'user-action',
    message: 'The provider held the message until you verify the account.',
    hint: 'Sign in to your mailbox on the web, complete the check it shows, then retry.',
  },
  {
    test: any(enhanced('5.4.5'), has(/QuotaExceeded|sending (limit|quota) exceeded/i)),
    class: 'policy',
    message: 'This account has reached its daily sending limit.',
    hint: 'Wait until the limit resets (usually 24 hours), then retry.',
  },
  {
    test: any(
      enhanced('5.7.60', '5.2.252'),
      has(/SendAs|send as this sender|not owned by user|Sender address rejected/i),
    ),
    class: 'policy',
    message: 'This account may not send with the From address it used.',
    hint: 'Send from the signed-in address, or get "Send As" permission for the other address.',
  },
  {
    test: has(/Relay access denied/i),
    class: 'auth',
    message: 'The server treated the session as not signed in and refused to pass the message on.',
    hint: 'Sign in to the account again.',
  },
  {
    test: any(has(/illegal attachment|blocked.*attachment/i), (s) => s.code === 552 && s.enhanced === '5.7.0'),
    class: 'policy',
    message: 'The provider blocked one of the attachments for security reasons.',
    hint: 'Remove that attachment or send a link to the file instead.',
  },
  {
    test: any(enhanced('5.2.3', '5.3.4'), has(/size limit|too (big|large)|exceeds? .*size/i)),
    class: 'permanent',
    message: 'The message is larger than the server accepts.',
    hint: 'Remove attachments or share large files as links.',
  },
  {
    test: any(enhanced('4.5.3'), has(/too many recipients/i)),
    class: 'transient',
    message: 'The server took fewer recipients than the message has, for now.',
    hint: 'Quicksend tries again later; for big lists, send several smaller messages.',
  },
  {
    test: any(code(504), enhanced('5.7.4')),
    class: 'auth',
    message: 'The server does not offer the sign-in method Quicksend uses (OAuth 2.0: OAUTHBEARER or XOAUTH2).',
    hint: "Check the account's server settings; for Microsoft 365 use smtp.office365.com on port 587.",
  },
  {
    test: any(code(535, 534, 530), enhanced('5.7.8', '5.7.3', '5.7.57', '5.7.139')),
    class: 'auth',
    message: 'The mail server did not accept the sign-in.',
    hint: 'Quicksend refreshes the sign-in once by itself; if that fails too, sign in to the account again.',
  },
];

const NETWORK = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPROXY',
]);
const CERTIFICATE =
  /certificate|self[- ]signed|unable to verify|altname|ERR_SSL|ERR_TLS|SSL routines|handshake|wrong version number/i;

/**
 * A failure without a server reply: a certificate that did not verify (never transient: the
 * sender explains it with the issuer and the outbox waits), another TLS failure, the network, a
 * timeout, or our own stall guard. nodemailer keeps the system's code in `originalCode`.
 */
export function networkProblem(code: string, message: string, cause: unknown, originalCode = ''): Omit<Rule, 'test'> {
  const causeCode =
    typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string'
      ? (cause as { code: string }).code
      : '';
  const certificate = certificateProblemOf([originalCode, causeCode, code].filter(Boolean), message);
  if (certificate) {
    return {
      class: 'certificate',
      layer: 'tls',
      certificate,
      message:
        certificate === 'wrong-name'
          ? "The mail server's certificate is for another name."
          : "The mail server's certificate could not be verified.",
      hint: 'Quicksend checks again when the network changes.',
    };
  }
  if (code === 'ETLS' || CERTIFICATE.test(message) || CERTIFICATE.test(causeCode)) {
    return {
      class: 'transient',
      layer: 'tls',
      message: `A secure connection to the mail server could not be set up (${message.slice(0, 160)}).`,
      hint: 'Check the server name, port and security setting; on a hotel or office network, sign in to the network first.',
    };
  }
  if (code === 'ETIMEDOUT') {
    return {
      class: 'transient',
      layer: 'network',
      message: 'The mail server did not answer in time.',
      hint: 'Quicksend tries again by itself; check your connection if it keeps happening.',
    };
  }
  if (code === 'EABORT') {
    return {
      class: 'transient',
      layer: 'network',
      message: 'Sending took too long and was stopped.',
      hint: 'Quicksend tries again by itself.',
    };
  }
  if (NETWORK.has(code) || NETWORK.has(causeCode)) {
    return {
      class: 'transient',
      layer: 'network',
      message: 'The connection to the mail server failed or was cut.',
      hint: 'Quicksend tries again by itself when the network is back.',
    };
  }
  return {
    class: 'transient',
    layer: 'network',
    message: `Sending failed unexpectedly (${code || 'no code'}).`,
    hint: 'Quicksend tries again by itself.',
  };
}
