/**
 * `signin:progress` events: where a sign-in stands, for the window that started it. Here the
 * ways a sign-in can end become the stages the person sees; a superseded sign-in reports
 * nothing of its own ending, because the sign-in that replaced it says so when it begins.
 */
import type { SignInStage } from '../ipc/contract';
import { AppError } from '../shared/errors';
import type { EventBus } from '../ipc/event-bus';

/** The stage a failed sign-in ends in; undefined for a superseded one (no event). */
export function failureStage(error: unknown): SignInStage | undefined {
  const code = error instanceof AppError ? error.code : undefined;
  switch (code) {
    case 'signin.superseded':
      return undefined;
    case 'signin.cancelled':
      return 'cancelled';
    case 'signin.timeout':
      return 'timed-out';
    default:
      return 'failed';
  }
}

/** Reports sign-in stages for one provider's sign-ins. */
export function createSignInProgress(events: EventBus) {
  const emit = (
    providerId: string,
    stage: SignInStage,
    extra: { signInUrl?: string | undefined; message?: string | undefined } = {},
  ) => events.emit('signin:progress', { providerId, stage, ...extra });
  return {
    /** A stage the sign-in itself reached (opening the browser, waiting, exchanging the code). */
    reached: emit,
    /** An earlier sign-in for the same provider was replaced by a newer one. */
    superseded: (providerId: string) =>
      emit(providerId, 'superseded', { message: 'A newer sign-in replaced the earlier one.' }),
    /** The sign-in ended without an account: cancelled, timed out or failed, in plain words. */
    failed(providerId: string, error: unknown): void {
      const stage = failureStage(error);
      if (stage) emit(providerId, stage, { message: error instanceof Error ? error.message : undefined });
    },
    /** The account is saved. */
    done: (providerId: string) => emit(providerId, 'done'),
  };
}

/** The `signin:progress` reporter. */
export type SignInProgress = ReturnType<typeof createSignInProgress>;
