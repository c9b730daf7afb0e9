import type { ErrorCode, ErrorInfo, Result } from '../../../electron/ipc/contract';

/** Whether a failure carries one of our codes; the compiler refuses a code Quicksend never gives. */
export function hasCode(error: ErrorInfo, code: ErrorCode): boolean {
  return error.code === code;
}

/**
 * Turns a bridge call that might throw (a broken transport) into a Result, so every view
 * handles one failure shape only.
 */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch {
    return {
      ok: false,
      error: {
        code: 'app.unreachable' satisfies ErrorCode,
        message: 'Quicksend could not reach its main process.',
        hint: 'Restart Quicksend.',
      },
    };
  }
}
