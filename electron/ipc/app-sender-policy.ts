/** The sender policy of the packaged app: our app:// origin, in one of our windows. */
import { APP_ORIGIN } from './app-origin';
import type { SenderPolicy } from './sender-policy';

export function createAppSenderPolicy(knownWindow: (id: number) => boolean): SenderPolicy {
  return { allowedOrigins: [APP_ORIGIN], knownWindow };
}
