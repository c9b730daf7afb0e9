/**
 * Every error code Quicksend gives, by domain: `domain.reason`, plus the router's bare
 * `internal`. The contract re-exports them (`ErrorCode`), `AppError` takes only these, and the
 * redactor's list of our own code domains is derived from the keys, so a new domain is added in
 * one place. It lives on the ground floor because `shared/errors.ts` needs it and imports nothing
 * above `shared/`.
 */
export const ERROR_CODES = {
  accounts: ['different_address', 'unknown'],
  /**
   * `unreachable`: the renderer could not reach main (the bridge threw); `unknown_code`: a code
   * read back that this version does not know (contract.ts `errorCodeSchema`).
   */
  app: ['unknown_code', 'unreachable'],
  auth: ['needs_sign_in', 'refresh_refused', 'transient'],
  certificate: [
    'empty',
    'expired',
    'not_ca',
    'not_pem',
    'not_yet_valid',
    'private_key',
    'several',
    'too_large',
    'unreadable',
  ],
  files: ['drop_unavailable', 'path_refused', 'too_many', 'unknown_file'],
  ipc: ['invalid_request', 'unknown_channel', 'untrusted_sender'],
  mail: [
    'attachment_missing',
    'attachment_not_a_file',
    'attachment_unreadable',
    'disk_full',
    'invalid_address',
    'line_break_in_header',
    'message_too_large',
    'no_recipients',
    'starting',
    'storage_unwritable',
    'too_many_attachments',
    'too_many_recipients',
    'unknown_account',
  ],
  /** Said by the renderer about its own undo and rewrite actions. */
  outbox: ['gone', 'too_late'],
  provider: [
    'bad_issuer',
    'bad_metadata',
    'insecure_issuer',
    'insecure_smtp',
    'no_pkce',
    'not_configured',
    'unknown',
    'unreachable',
  ],
  relay: ['not_listening', 'not_loopback', 'same_port', 'unknown_credential'],
  settings: ['invalid', 'unwritable'],
  shell: ['url_refused'],
  signin: [
    'address_mismatch',
    'cancelled',
    'denied',
    'exchange_failed',
    'invalid_answer',
    'issuer_mismatch',
    'no_identity',
    'no_refresh_token',
    'no_verified_address',
    'provider_error',
    'provider_unreachable',
    'scope_missing',
    'state_mismatch',
    'superseded',
    'timeout',
    'userinfo_failed',
  ],
  /**
   * The first seven are the reply classes (mail/smtp-reply-rules.ts `SmtpErrorClass`, dashes as
   * underscores); `certificate_*` are the server-certificate problems (mail/certificate-problem.ts).
   */
  smtp: [
    'transient',
    'auth',
    'needs_sign_in',
    'policy',
    'user_action',
    'permanent',
    'certificate',
    'certificate_untrusted',
    'certificate_wrong_name',
    'certificate_expired',
    'certificate_not_yet_valid',
    'certificate_invalid',
    'insecure_refused',
    'no_oauth_mechanism',
    'recipients_deferred',
    'recipients_refused',
    'token_unavailable',
  ],
  /** The renderer's own form checks, shown beside the field before anything is sent to main. */
  ui: ['client_id', 'client_secret', 'issuer', 'login_hint', 'pick', 'port', 'required'],
  vault: ['damaged', 'unknown_format', 'unreadable'],
} as const;

type Codes = typeof ERROR_CODES;

/** The domains of our codes (`smtp`, `signin`, ...). */
export type ErrorDomain = keyof Codes;

/** One of Quicksend's own error codes. */
export type ErrorCode = { [D in ErrorDomain]: `${D}.${Codes[D][number]}` }[ErrorDomain] | 'internal';

/** The domains, in the order above. */
export const ERROR_DOMAINS = Object.keys(ERROR_CODES) as ErrorDomain[];

/** Every code as a flat list (tests walk it). */
export const ALL_ERROR_CODES: readonly ErrorCode[] = [
  ...ERROR_DOMAINS.flatMap((domain) => ERROR_CODES[domain].map((reason) => `${domain}.${reason}` as ErrorCode)),
  'internal',
];

const KNOWN: ReadonlySet<string> = new Set(ALL_ERROR_CODES);

/** Whether `code` is one of ours: a code read from disk, the wire or another library's error. */
export function isErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code);
}
