import type { Result } from '../../../electron/ipc/contract';

/**
 * Turns a bridge call that might throw (a broken transport) into a Result, so every view
 * handles one failure shape only.
 */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch {
    return { ok: false, error: { code: 'app.unreachable', message: 'Quicksend could not reach its main process.', hint: 'Restart Quicksend.' } };
  }
}
