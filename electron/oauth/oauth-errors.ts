/**
 * Plain words for what identity providers answer. Each known answer gets a class (what
 * Quicksend does next), a sentence a person understands and, where they can act, a fix.
 * Microsoft puts its real reason in `error_description` as an AADSTS code.
 */
export type OAuthErrorClass = 'needs-sign-in' | 'transient' | 'permanent' | 'policy' | 'user-action' | 'auth';

export type DecodedOAuthError = {
  class: OAuthErrorClass;
  /** Stable code: the provider's AADSTS number when there is one, else the OAuth error. */
  providerCode: string;
  message: string;
  hint?: string;
};

type Known = { class: OAuthErrorClass; message: string; hint?: string };

const SIGN_IN_AGAIN = 'Sign in to this account again from Accounts.';

const aadsts: Record<string, Known> = {
  AADSTS700082: {
    class: 'needs-sign-in',
    message: 'Microsoft expired the sign-in because it was not used for a long time.',
    hint: SIGN_IN_AGAIN,
  },
  AADSTS700081: {
    class: 'needs-sign-in',
    message: 'Microsoft ended the sign-in because it reached its maximum age.',
    hint: SIGN_IN_AGAIN,
  },
  AADSTS70043: {
    class: 'needs-sign-in',
    message: "Your organisation's sign-in rules require you to sign in again.",
    hint: SIGN_IN_AGAIN,
  },
  AADSTS50173: {
    class: 'needs-sign-in',
    message: 'Microsoft revoked the sign-in (for example after a password change).',
    hint: SIGN_IN_AGAIN,
  },
  AADSTS65001: {
    class: 'needs-sign-in',
    message: 'Quicksend no longer has your consent to send mail for this account.',
    hint: 'Sign in again and accept the permissions; your administrator may need to approve the app.',
  },
  AADSTS50076: {
    class: 'needs-sign-in',
    message: 'Microsoft needs you to complete multi-factor authentication.',
    hint: SIGN_IN_AGAIN,
  },
  AADSTS53003: {
    class: 'policy',
    message: "Your organisation's Conditional Access policy blocks this sign-in.",
    hint: 'Ask your administrator to allow Quicksend for your account.',
  },
  AADSTS54005: { class: 'permanent', message: 'The sign-in code was already used.', hint: 'Start the sign-in again.' },
  AADSTS900144: {
    class: 'permanent',
    message: 'Microsoft did not understand the request Quicksend sent.',
    hint: 'Update Quicksend; if it persists, report it.',
  },
  AADSTS90014: {
    class: 'permanent',
    message: 'Microsoft expects a client secret for this app registration.',
    hint: 'In the app registration, allow public client flows (Quicksend is a public client).',
  },
  AADSTS7000215: {
    class: 'permanent',
    message: 'The client secret is wrong or expired.',
    hint: 'Check the client settings under Accounts, Add account.',
  },
  AADSTS700016: {
    class: 'permanent',
    message: 'Microsoft does not know this client id in your directory.',
    hint: 'Check the client id, and that the app registration allows accounts from your organisation.',
  },
  AADSTS50011: {
    class: 'permanent',
    message: 'The redirect address is not registered for this app.',
    hint: 'Register http://127.0.0.1/callback as a "Mobile and desktop" redirect URI.',
  },
  AADSTS50126: {
    class: 'auth',
    message: 'Microsoft refused the user name or password.',
    hint: 'Quicksend never uses passwords; sign in in your browser instead.',
  },
  AADSTS9002313: {
    class: 'permanent',
    message: 'Microsoft found the request malformed.',
    hint: 'Update Quicksend; if it persists, report it.',
  },
};

const oauth: Record<string, Known> = {
  invalid_grant: {
    class: 'needs-sign-in',
    message: 'The provider no longer accepts the saved sign-in (it was revoked or expired).',
    hint: SIGN_IN_AGAIN + ' Google test-mode projects expire sign-ins after 7 days.',
  },
  access_denied: {
    class: 'user-action',
    message: 'Access was not granted at the provider.',
    hint: 'Start again and allow Quicksend to send mail; a project in testing mode only admits its listed testers.',
  },
  disallowed_useragent: {
    class: 'user-action',
    message: 'Google refuses sign-in from embedded browsers.',
    hint: 'Quicksend opens your own browser; make sure a normal browser is your default.',
  },
  admin_policy_enforced: {
    class: 'policy',
    message: "Your organisation's policy does not allow this app to access your mail.",
    hint: 'Ask your Google Workspace administrator to trust the app.',
  },
  org_internal: {
    class: 'policy',
    message: 'This client is limited to users of the organisation that created it.',
    hint: 'Use a client id from your own organisation.',
  },
  redirect_uri_mismatch: {
    class: 'permanent',
    message: 'The redirect address is not registered for this client.',
    hint: 'Register a Desktop app client (it accepts any loopback port).',
  },
  invalid_request: {
    class: 'permanent',
    message: 'The provider refused the sign-in request as not compliant.',
    hint: 'Use a Desktop app client id; check the client settings.',
  },
  invalid_client: {
    class: 'permanent',
    message: 'The provider does not accept this client id or secret.',
    hint: 'Check the client settings under Accounts, Add account.',
  },
  unauthorized_client: {
    class: 'permanent',
    message: 'This client is not allowed to use this kind of sign-in.',
    hint: 'Check the client type at the provider (Desktop / public client).',
  },
  invalid_scope: {
    class: 'permanent',
    message: 'The provider refused the permissions Quicksend asks for.',
    hint: 'Enable the mail scope for your client at the provider.',
  },
  temporarily_unavailable: { class: 'transient', message: 'The provider is temporarily unavailable.' },
  server_error: { class: 'transient', message: 'The provider had an internal error.' },
};

/** Decodes `error` + `error_description` (either may be missing or hold the whole answer). */
export function decodeOAuthError(input: {
  error?: string | undefined;
  description?: string | undefined;
  status?: number | undefined;
}): DecodedOAuthError {
  const text = `${input.error ?? ''} ${input.description ?? ''}`;
  const aad = /AADSTS\d+/.exec(text)?.[0];
  if (aad && aadsts[aad]) return { providerCode: aad, ...aadsts[aad] };
  const code =
    /\b(invalid_grant|access_denied|disallowed_useragent|admin_policy_enforced|org_internal|redirect_uri_mismatch|invalid_request|invalid_client|unauthorized_client|invalid_scope|temporarily_unavailable|server_error)\b/.exec(
      text,
    )?.[1];
  if (code && oauth[code]) return { providerCode: code, ...oauth[code] };
  if (input.status !== undefined && input.status >= 500) {
    return {
      providerCode: `http_${input.status}`,
      class: 'transient',
      message: 'The provider had a temporary problem.',
    };
  }
  return {
    providerCode: aad ?? input.error ?? 'unknown',
    class: 'permanent',
    message: 'The provider refused the request.',
    hint: input.description ? `The provider said: ${input.description.slice(0, 300)}` : undefined,
  };
}
