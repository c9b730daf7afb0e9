import { ERROR_DOMAINS, type ErrorCode } from './error-codes';

/**
 * A failure the person can understand and maybe act on. Domain code throws it; the IPC
 * router turns it into `{ ok: false, error: { code, message, hint } }`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Exhaustive-switch guard: the compiler proves this is unreachable. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/**
 * The domains of Quicksend's own error codes (`smtp.transient`, `auth.needs_sign_in`), derived
 * from the codes themselves (error-codes.ts). Logs keep such codes readable; the redactor masks
 * every other `code` value, since OAuth authorization codes travel in fields of that name.
 */
export const OWN_ERROR_DOMAINS: readonly string[] = ERROR_DOMAINS;

const OWN_ERROR_CODE = new RegExp(String.raw`^(?:${OWN_ERROR_DOMAINS.join('|')})\.[a-z][a-z_]{0,47}$`);

/** A code of ours: a known domain, a dot, lower-case words (never digits, mixed case or slashes). */
export function isOwnErrorCode(value: string): boolean {
  return value === 'internal' || OWN_ERROR_CODE.test(value);
}
