import type { OutboxItem } from '../../../electron/ipc/contract';

/**
 * States in which a message waits for the person rather than the clock: it failed, its account
 * needs sign-in, or its server's certificate is not trusted (the explanation is in lastError).
 */
export function needsAttention(state: OutboxItem['state']): boolean {
  return state === 'failed' || state === 'needs-sign-in' || state === 'untrusted-server';
}
