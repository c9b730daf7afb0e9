/**
 * Remembers the sign-in URLs main built (from `signin:progress` events), so the external-URL
 * check can let exactly those through and nothing that merely looks like them. A URL is
 * forgotten when its sign-in ends; at most a few are kept.
 */
import type { EventPayloadOf } from '../ipc/contract';

export type SignInProgressPayload = EventPayloadOf<'signin:progress'>;

const ACTIVE_STAGES = new Set<SignInProgressPayload['stage']>(['opening-browser', 'waiting-for-browser', 'exchanging']);
export const MAX_REMEMBERED_SIGN_IN_URLS = 8;

export type SignInUrlRegistry = {
  /** Feed every `signin:progress` payload here. */
  onProgress(progress: SignInProgressPayload): void;
  has(href: string): boolean;
};

export function createSignInUrlRegistry(): SignInUrlRegistry {
  // providerId -> URL; one running sign-in per provider (a newer one supersedes).
  const byProvider = new Map<string, string>();
  return {
    onProgress({ providerId, stage, signInUrl }) {
      if (ACTIVE_STAGES.has(stage)) {
        if (signInUrl) {
          byProvider.delete(providerId);
          byProvider.set(providerId, signInUrl);
          while (byProvider.size > MAX_REMEMBERED_SIGN_IN_URLS) byProvider.delete(byProvider.keys().next().value!);
        }
      } else byProvider.delete(providerId);
    },
    has(href) {
      for (const url of byProvider.values()) if (url === href) return true;
      return false;
    },
  };
}
