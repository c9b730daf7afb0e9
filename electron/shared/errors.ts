/**
 * A failure the person can understand and maybe act on. Domain code throws it; the IPC
 * router turns it into `{ ok: false, error: { code, message, hint } }`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
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
