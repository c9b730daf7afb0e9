/**
 * The renderer's Content Security Policy, sent as a response header by the app:// protocol
 * (and by the web host in tests). Nothing remote, nothing inline, no network: the renderer
 * talks to main over IPC only. https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 */
export function contentSecurityPolicy(options: { allowSameOriginFetch?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // Only the web host (tests, demo) reaches main over HTTP on its own origin.
    options.allowSameOriginFetch ? "connect-src 'self'" : "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
