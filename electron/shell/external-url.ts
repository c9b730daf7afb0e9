/**
 * The one check in front of `shell.openExternal`: an https URL (no user name or password in
 * it, which is how phishing links hide their real host), the exact sign-in URL main itself
 * built for a running sign-in (it may be http://127.0.0.1 in development), or one of our fixed
 * help links. Everything else, `file:`, `javascript:`, custom schemes included, is refused:
 * openExternal hands URLs to the OS, which may run programs for them.
 * https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
import { AppError } from '../shared/errors';
import type { BrowserLauncher } from '../shared/ports';

/** Fixed links Quicksend itself may open (documentation). */
export const HELP_LINKS: readonly string[] = Object.freeze([
  'https://developers.google.com/identity/protocols/oauth2/native-app',
  'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
]);

/** Longest URL handed to the OS (sign-in URLs with PKCE and scopes are ~1-2 KB). */
export const MAX_EXTERNAL_URL_LENGTH = 8192;

export type ExternalUrlPolicy = {
  /** True for a sign-in URL main built and has not finished with yet. */
  isSignInUrl(href: string): boolean;
  helpLinks: readonly string[];
};

export type ExternalUrlDecision = { allowed: true; href: string } | { allowed: false; reason: string };

/** Decides whether `raw` may be opened in the person's browser. */
export function checkExternalUrl(raw: unknown, policy: ExternalUrlPolicy): ExternalUrlDecision {
  if (typeof raw !== 'string' || raw.length === 0) return { allowed: false, reason: 'not a URL' };
  if (raw.length > MAX_EXTERNAL_URL_LENGTH) return { allowed: false, reason: 'too long' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'not a URL' };
  }
  const href = url.href;
  // Exact sign-in URL first: in development its issuer is http://127.0.0.1.
  if (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    (policy.isSignInUrl(raw) || policy.isSignInUrl(href))
  ) {
    return { allowed: true, href };
  }
  if (policy.helpLinks.includes(href)) return { allowed: true, href };
  if (url.protocol !== 'https:') return { allowed: false, reason: `scheme ${url.protocol} is not opened` };
  if (url.username !== '' || url.password !== '')
    return { allowed: false, reason: 'URLs with credentials are not opened' };
  if (url.hostname === '') return { allowed: false, reason: 'no host' };
  return { allowed: true, href };
}

/**
 * The core's `BrowserLauncher` port routed through `checkExternalUrl`: refused URLs never
 * reach `open` and fail with `shell.url_refused`.
 */
export function createCheckedLauncher(
  open: (href: string) => Promise<void>,
  policy: ExternalUrlPolicy,
  onRefused?: (reason: string) => void,
): BrowserLauncher {
  return {
    async open(url) {
      const decision = checkExternalUrl(url, policy);
      if (!decision.allowed) {
        onRefused?.(decision.reason);
        throw new AppError('shell.url_refused', 'Quicksend does not open that kind of link.');
      }
      await open(decision.href);
    },
  };
}
