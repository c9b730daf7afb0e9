/**
 * Plain-words text about providers and key stores for the add-account flow: how to register
 * one's own client, what sign-in grants, and where the token is kept. Pure, so it is tested.
 */
import type { Account, AppInfo, Provider, SignInStage } from '../../../electron/ipc/contract';

const ORDER: Record<Provider['kind'], number> = { google: 0, microsoft: 1, custom: 2, sandbox: 3 };

/** Google, Microsoft, then custom providers by name, then the sandbox (development only). */
export function sortProviders(list: readonly Provider[]): Provider[] {
  return [...list].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.name.localeCompare(b.name));
}

export function providerBlurb(provider: Provider): string {
  switch (provider.kind) {
    case 'google':
      return 'Gmail and Google Workspace';
    case 'microsoft':
      return 'Outlook.com and Microsoft 365';
    case 'sandbox':
      return 'A local test provider (development only)';
    default:
      return `${provider.smtp.host} with OpenID Connect`;
  }
}

/** Steps to register one's own OAuth client at the provider. */
export function clientHowTo(provider: Provider): string[] {
  switch (provider.kind) {
    case 'google':
      return [
        'Open Google Cloud Console, create or pick a project and enable the Gmail API.',
        'Under APIs & Services → Credentials, create an OAuth client ID of type “Desktop app”.',
        'Add the scopes below on the OAuth consent screen, then paste the client ID and client secret here. Google does not treat a desktop client secret as confidential.',
      ];
    case 'microsoft':
      return [
        'Open Microsoft Entra admin center → App registrations → New registration.',
        'Under Authentication, add a “Mobile and desktop applications” platform with the redirect URI below and allow public client flows.',
        'Under API permissions, add the delegated permissions for the scopes below, then paste the Application (client) ID here.',
      ];
    default:
      return [
        'Register Quicksend at your provider as a native (public) client that uses PKCE.',
        'Allow the redirect URI and scopes below, then paste the client ID here (and the secret, if your provider issued one).',
      ];
  }
}

/** Where the refresh token is kept, in words a person recognises. */
export function keyStoreName(info: AppInfo | null): string | null {
  if (!info) return null;
  const store = info.keyStore.toLowerCase();
  if (info.platform === 'darwin') return 'the macOS Keychain';
  if (info.platform === 'win32') return 'Windows’ data protection for your user account';
  if (store.includes('gnome') || store.includes('libsecret')) return 'your GNOME keyring';
  if (store.includes('kwallet')) return 'KWallet';
  if (store === 'basic_text' || store === 'unknown') return null;
  return 'your system key store';
}

/** The one line shown before the browser opens: what is granted and where the token lives. */
export function consentLines(
  provider: Provider,
  info: AppInfo | null,
  weakStorageConsent: boolean,
): { access: string; storage: string } {
  const access = `Quicksend will be allowed to send mail as you through ${provider.name}. You sign in on ${provider.name}’s own page in your browser; Quicksend never sees your password.`;
  const store = keyStoreName(info);
  const storage = store
    ? `The sign-in is kept on this computer, encrypted with ${store}. Remove the account to delete it.`
    : weakStorageConsent
      ? 'Your system has no key store, so the sign-in is saved on disk protected only by file permissions (you allowed this in Settings).'
      : 'Your system has no key store, so the sign-in is kept for this session only; you will sign in again after restarting Quicksend.';
  return { access, storage };
}

export function stageText(stage: SignInStage, providerName: string): string {
  switch (stage) {
    case 'opening-browser':
      return 'Opening your browser…';
    case 'waiting-for-browser':
      return `Finish signing in to ${providerName} in your browser. This window updates when you are done.`;
    case 'exchanging':
      return 'Almost done: confirming the sign-in…';
    case 'done':
      return 'Signed in.';
    case 'cancelled':
      return 'Sign-in cancelled.';
    case 'superseded':
      return 'A newer sign-in replaced this one.';
    case 'timed-out':
      return 'The sign-in took too long and was stopped. Try again.';
    default:
      return 'Sign-in failed.';
  }
}

export const healthText: Record<Account['health'], string> = {
  ready: 'Ready',
  refreshing: 'Refreshing…',
  'needs-sign-in': 'Needs sign-in',
  'session-only': 'This session only',
};
