/**
 * Plain words for what an issuer's discovery document says (`providers:discover`), shown on the
 * "Other provider" form before anything is saved, and the issuer address rule the form applies
 * before asking main. Pure, so it is tested.
 */
import type { ProviderDiscovery } from '../../../electron/ipc/contract';

/** One finding: good news (`ok`) or something the person should know before relying on it. */
export type DiscoveryLine = { topic: string; ok: boolean; text: string };

/** What the provider offers that matters to Quicksend, one line per topic, in a fixed order. */
export function discoveryLines(summary: ProviderDiscovery): DiscoveryLine[] {
  const pkce = summary.pkceMethods.includes('S256')
    ? { ok: true, text: `Supports PKCE with S256 (it lists ${summary.pkceMethods.join(', ')}).` }
    : summary.pkceMethods.length === 0
      ? {
          ok: false,
          text: 'Does not say which PKCE methods it supports; Quicksend will use S256, which it may refuse.',
        }
      : { ok: false, text: `Supports PKCE only with ${summary.pkceMethods.join(', ')}; Quicksend needs S256.` };
  const refresh = {
    advertised: { ok: true, text: 'Issues refresh tokens (it lists the refresh_token grant), so you stay signed in.' },
    'not-advertised': {
      ok: false,
      text: 'Does not list the refresh_token grant: you may have to sign in again whenever access runs out.',
    },
    'not-published': {
      ok: false,
      text: 'Does not list its grant types; if it issues no refresh tokens, you will have to sign in again often.',
    },
  }[summary.refreshTokenGrant];
  const offline = {
    advertised: {
      ok: true,
      text: 'Offers the offline_access scope; Quicksend asks for it together with your consent.',
    },
    'not-advertised': {
      ok: false,
      text: 'Does not list the offline_access scope; if sign-in is refused, remove it from Scopes.',
    },
    'not-published': {
      ok: false,
      text: 'Does not list its scopes, so whether it accepts offline_access shows only at sign-in.',
    },
  }[summary.offlineAccess];
  return [
    { topic: 'PKCE', ...pkce },
    { topic: 'Refresh tokens', ...refresh },
    { topic: 'Offline access', ...offline },
    summary.userInfo
      ? {
          topic: 'UserInfo',
          ok: true,
          text: 'Has a UserInfo endpoint, where Quicksend reads your verified email address.',
        }
      : {
          topic: 'UserInfo',
          ok: false,
          text: 'Has no UserInfo endpoint: sign-in works only if its ID token carries your verified email address.',
        },
    summary.revocation
      ? {
          topic: 'Revocation',
          ok: true,
          text: 'Can revoke access: removing the account also ends Quicksend’s access at the provider.',
        }
      : {
          topic: 'Revocation',
          ok: false,
          text: 'Cannot revoke access: removing the account deletes it here only; remove Quicksend at the provider yourself.',
        },
  ];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether the form may send an issuer to main: https, or (development builds only, for the
 * local sandbox) http on a loopback address. Main checks again (`checkIssuerUrl`).
 */
export function issuerAllowed(issuer: string, development: boolean): boolean {
  let url: URL;
  try {
    url = new URL(issuer.trim());
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return development && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
}
