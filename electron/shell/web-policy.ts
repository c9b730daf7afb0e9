/**
 * What our web contents may do, decided in one place: no navigation away from the page, no
 * new windows (a link to an allowed external URL opens in the person's browser instead), no
 * webviews, and no permissions except writing plain text to the clipboard from our own page
 * ("Copy sign-in link"). https://www.electronjs.org/docs/latest/tutorial/security
 */
import { APP_ORIGIN } from '../ipc/app-origin';
import { checkExternalUrl, type ExternalUrlPolicy } from './external-url';

export type NavigationDecision = { allow: false; openExternally: string | null };

function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}

/**
 * `will-navigate`, `will-redirect`, `will-frame-navigate`: always refused. A link the person
 * followed to an allowed https page goes to their browser; our own origin is never reloaded
 * by navigation (nothing in the renderer navigates).
 */
export function navigationDecision(targetUrl: string, policy: ExternalUrlPolicy): NavigationDecision {
  if (originOf(targetUrl) === APP_ORIGIN) return { allow: false, openExternally: null };
  const external = checkExternalUrl(targetUrl, policy);
  return { allow: false, openExternally: external.allowed ? external.href : null };
}

/** `setWindowOpenHandler`: never a new Electron window; maybe the person's browser. */
export function windowOpenDecision(
  targetUrl: string,
  policy: ExternalUrlPolicy,
): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: navigationDecision(targetUrl, policy).openExternally };
}

/** Permissions granted to our own page; everything else, and every other origin, is refused. */
const GRANTED = new Set(['clipboard-sanitized-write']);

/** Permission requests and checks (`setPermissionRequestHandler` / `setPermissionCheckHandler`). */
export function permissionDecision(permission: string, requestingUrl: string | undefined | null): boolean {
  return GRANTED.has(permission) && typeof requestingUrl === 'string' && originOf(requestingUrl) === APP_ORIGIN;
}
