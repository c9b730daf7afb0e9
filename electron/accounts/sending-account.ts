/**
 * What the sending side (mail/, outbox/) needs from the account side (accounts/, oauth/):
 * an account's SMTP facts and a source of access tokens. Kept as two small interfaces so the
 * outbox can be tested with a real token source before or without the whole sign-in flow.
 */
import type { SmtpEndpoint } from '../oauth/provider-definition';

// The sending side names the SMTP facts through this file; their shape belongs to the provider.
export type { SmtpEndpoint } from '../oauth/provider-definition';

export type SendingAccount = {
  id: string;
  providerId: string;
  /** The XOAUTH2 `user=` value: the address the token was issued to. */
  login: string;
  /** The From header: an alias or send-as address, defaulting to `login`. */
  fromAddress: string;
  displayName: string;
  smtp: SmtpEndpoint;
  /** The provider's largest message, in bytes, after base64 encoding. */
  attachmentLimitBytes: number;
};

export interface AccountDirectory {
  get(accountId: string): SendingAccount | undefined;
  /** The provider refused our tokens for good: the person must sign in again. */
  markNeedsSignIn(accountId: string, reason: string): Promise<void>;
  /** Records that the account was just used (shown as "last used"). */
  touch(accountId: string): void;
}

export interface AccessTokenSource {
  /** A valid access token, refreshed if needed; throws AppError `auth.needs_sign_in` when it cannot. */
  getAccessToken(accountId: string): Promise<string>;
  /** Forget the cached access token (after a 535), so the next call refreshes. */
  invalidate(accountId: string): void;
}
