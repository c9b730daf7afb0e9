/**
 * Sign-in attempts, from the first moment to the commit point. An attempt exists before the
 * provider is discovered, so a cancel wins at every stage: before the browser opens it stops
 * the sign-in there; while the code is exchanged it gives the new grant back (revoked where the
 * provider supports it) and nothing is stored. A newer attempt for the same provider supersedes
 * the older one. Once the caller commits (starts saving the account) a cancel comes too late.
 */
import type { Grants } from '../oauth/grants';
import { startSignIn, type SignInHandle, type SignInInput, type SignInResult } from '../oauth/sign-in';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { BrowserLauncher, Clock } from '../shared/ports';
import type { ProviderRegistry } from './provider-registry';
import type { SignInProgress } from './sign-in-progress';

/** A sign-in from its first moment; `committed` once its account is being saved (too late to cancel). */
type SignInAttempt = {
  readonly providerId: string;
  cancelled: AppError | undefined;
  handle: SignInHandle | undefined;
  committed: boolean;
  /** Cancels unless committed; true when this call cancelled it. */
  cancel(reason?: AppError): boolean;
};

export type SignInFlowDeps = {
  providers: Pick<ProviderRegistry, 'get' | 'configuration'>;
  grants: Pick<Grants, 'revoke'>;
  progress: SignInProgress;
  browser: BrowserLauncher;
  clock: Clock;
  redactor: Redactor;
  logger: Logger;
  /** How long the person has to finish in the browser. */
  timeoutMs: number;
  /** The browser sign-in itself (oauth/sign-in.ts); unit tests of the attempts replace it. */
  startSignIn?: (input: SignInInput) => SignInHandle;
};

/** Builds the sign-in attempts of this run: at most one running per provider. */
export function createSignInFlow(deps: SignInFlowDeps) {
  const attempts = new Map<string, SignInAttempt>();
  const start = deps.startSignIn ?? startSignIn;

  function begin(providerId: string): SignInAttempt {
    const previous = attempts.get(providerId);
    if (previous?.cancel(new AppError('signin.superseded', 'A newer sign-in replaced this one.')))
      deps.progress.superseded(providerId);
    const attempt: SignInAttempt = {
      providerId,
      cancelled: undefined,
      handle: undefined,
      committed: false,
      cancel(reason = new AppError('signin.cancelled', 'The sign-in was cancelled.')) {
        if (attempt.committed || attempt.cancelled) return false;
        attempt.cancelled = reason;
        attempt.handle?.cancel(reason);
        return true;
      },
    };
    attempts.set(providerId, attempt);
    return attempt;
  }

  async function signIn(attempt: SignInAttempt, loginHint: string | undefined): Promise<SignInResult> {
    const { providerId } = attempt;
    try {
      const provider = deps.providers.get(providerId);
      const config = await deps.providers.configuration(provider);
      if (attempt.cancelled) throw attempt.cancelled;
      const handle = start({
        config,
        provider,
        loginHint,
        browser: deps.browser,
        clock: deps.clock,
        timeoutMs: deps.timeoutMs,
        redactor: deps.redactor,
        grants: deps.grants,
        onProgress: (stage, extra) => deps.progress.reached(providerId, stage, extra),
      });
      attempt.handle = handle;
      const result = await handle.result;
      if (attempt.cancelled) {
        const revocation = await deps.grants.revoke(provider, result.tokens.refreshToken);
        deps.logger.info('sign-in cancelled after the grant; grant given back', { providerId, revocation });
        throw attempt.cancelled;
      }
      return result;
    } catch (error) {
      deps.progress.failed(providerId, error);
      throw error;
    }
  }

  return {
    /**
     * Runs a browser sign-in for the provider and hands its result to `commit`, which saves the
     * account; from the moment `commit` is called a cancel no longer applies.
     */
    async run<T>(
      providerId: string,
      loginHint: string | undefined,
      commit: (result: SignInResult) => Promise<T>,
      explain?: (error: unknown) => unknown,
    ): Promise<T> {
      const attempt = begin(providerId);
      try {
        const result = await signIn(attempt, loginHint).catch((error: unknown) => {
          throw explain ? explain(error) : error;
        });
        attempt.committed = true;
        return await commit(result);
      } finally {
        if (attempts.get(providerId) === attempt) attempts.delete(providerId);
      }
    },
    /** Cancels the provider's running sign-in; true when there was one to cancel. */
    cancel: (providerId: string): boolean => attempts.get(providerId)?.cancel() ?? false,
    /** Cancels every running sign-in (emergency sign-out, quitting). */
    cancelAll(): void {
      for (const attempt of attempts.values()) attempt.cancel();
    },
  };
}

/** Sign-in attempts for adding and re-authorizing accounts. */
export type SignInFlow = ReturnType<typeof createSignInFlow>;
