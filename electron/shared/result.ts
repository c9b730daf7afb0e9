/** Expected failures travel as values with a stable code; bugs stay exceptions. */
export type ErrorInfo = { code: string; message: string; hint?: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, hint?: string): Result<never> => ({
  ok: false,
  error: hint === undefined ? { code, message } : { code, message, hint },
});
