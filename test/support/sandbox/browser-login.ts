// Plays the browser's part of a sign-in against the sandbox identity provider with plain fetch:
// follows redirects by hand (so it can stop at the app's loopback redirect URI), keeps a cookie
// jar (oidc-provider ties the interaction and the resume step to cookies), and submits the
// login form. Tests use it where a real browser would add seconds and nothing else.

/** Minimal cookie jar for one host: cookies keyed by path and name, sent on path match. */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  /** Stores the response's Set-Cookie headers; expired or empty cookies are removed. */
  store(response: Response, requestUrl: URL): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = requestUrl.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=', 2);
        const lower = key.toLowerCase();
        if (lower === 'path' && val) path = val;
        if (lower === 'max-age' && Number(val) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${path}\n${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  /** The Cookie header for a request to `url`, or undefined when nothing matches. */
  headerFor(url: URL): string | undefined {
    const matching = [...this.cookies.values()].filter(
      (c) => c.path === '/' || url.pathname === c.path || url.pathname.startsWith(`${c.path}/`),
    );
    // Longer paths first, as browsers send them (RFC 6265 5.4).
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

/** Options for {@link completeLogin}. */
export interface CompleteLoginOptions {
  /** Also request the callback URL (the app's loopback receiver) and return its response text. */
  visitCallback?: boolean;
  /** Reuse a jar to keep the provider session between logins, like one browser profile. */
  jar?: CookieJar;
}

const MAX_HOPS = 20;

/**
 * Drives the authorization URL to the app's redirect: loads the sandbox's login page, signs in
 * as `email`, lets consent pass, and returns the final `http://127.0.0.1:PORT/...` callback URL
 * (with code, state and iss, or error) without requesting it; with `visitCallback` it requests
 * it and returns the response text instead.
 */
export async function completeLogin(
  authorizationUrl: string,
  email: string,
  options: CompleteLoginOptions = {},
): Promise<string> {
  const jar = options.jar ?? new CookieJar();
  const issuerOrigin = new URL(authorizationUrl).origin;
  let url = new URL(authorizationUrl);
  let init: RequestInit = { method: 'GET' };
  let submitted = false;

  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const cookie = jar.headerFor(url);
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(response, url);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (isAppCallback(next, issuerOrigin)) {
        if (!options.visitCallback) return next.href;
        const callback = await fetch(next, { redirect: 'manual' });
        return callback.text();
      }
      url = next;
      init = { method: 'GET' };
      continue;
    }

    const body = await response.text();
    const action = /<form[^>]*\saction="([^"]+)"/i.exec(body)?.[1];
    if (response.ok && action && !submitted) {
      submitted = true;
      url = new URL(decodeEntities(action), url);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email }).toString(),
      };
      continue;
    }
    throw new Error(`sandbox login stopped at ${url.pathname} (HTTP ${response.status}): ${pageMessage(body)}`);
  }
  throw new Error(`sandbox login did not reach the callback within ${MAX_HOPS} redirects`);
}

/** Signs in without a browser and returns the callback URL (not requested). */
export function completeLoginInBrowserless(authorizationUrl: string, email: string): Promise<string> {
  return completeLogin(authorizationUrl, email);
}

/** Signs in without a browser, then requests the callback URL and returns its response text. */
export function followToCallback(authorizationUrl: string, email: string): Promise<string> {
  return completeLogin(authorizationUrl, email, { visitCallback: true });
}

/** A redirect leaving the provider for a loopback address: the app's redirect URI. */
function isAppCallback(url: URL, issuerOrigin: string): boolean {
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return loopback && url.origin !== issuerOrigin;
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The page's error text (the login form's alert or an error page), for a readable failure. */
function pageMessage(html: string): string {
  const alert = /role="alert"[^>]*>([^<]*)</.exec(html)?.[1] ?? /<p[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
  return decodeEntities((alert ?? html).trim()).slice(0, 300);
}
