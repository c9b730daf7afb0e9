// The sandbox identity provider's sign-in interaction: one self-contained HTML form (no scripts,
// no external resources) that a person can use in a real browser and that tests drive by its
// stable hooks: label "Email" (#email), button "Sign in" (#sign-in), an optional role=alert error.
// Consent is granted automatically, so the login form is the only page a user ever sees.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';

/** Everything the login page shows. */
export interface LoginPageModel {
  /** Where the form POSTs (the interaction's login route). */
  action: string;
  /** Prefill for the email field (the request's login_hint or the last attempt). */
  email?: string;
  clientId?: string;
  scopes?: string[];
  /** Shown above the form, e.g. for an unknown email address. */
  error?: string;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Content-Security-Policy for the page. Deliberately no `form-action`: Chromium applies it to
 * the redirects that follow the POST too, which would block the hop back to the app's loopback
 * redirect URI on another port.
 */
export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

/** Renders the sign-in page. */
export function renderLoginPage(model: LoginPageModel): string {
  const scopes = model.scopes?.length
    ? `<p class="meta">Requested access: ${model.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ')}</p>`
    : '';
  const client = model.clientId ? `<p class="meta">Application: <code>${escapeHtml(model.clientId)}</code></p>` : '';
  const error = model.error ? `<p class="error" role="alert" id="error">${escapeHtml(model.error)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in - Quicksend sandbox</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; color: #1b1b1f; }
  h1 { font-size: 1.4rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
  button { margin-top: 1rem; padding: .5rem 1.2rem; font-size: 1rem; }
  .meta { color: #555; font-size: .9rem; overflow-wrap: anywhere; }
  .error { color: #a00; font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>Sign in to the Quicksend sandbox</h1>
<p>This is a local test identity provider. No password is needed: enter one of the sandbox accounts.</p>
${client}${scopes}${error}
<form method="post" action="${escapeHtml(model.action)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(model.email ?? '')}">
  <button id="sign-in" type="submit">Sign in</button>
</form>
</main>
</body>
</html>`;
}

/** Serves the interaction: the login form, its POST, and automatic consent. */
export class InteractionRoutes {
  /** Scopes the "person" unticks at consent, as Google's granular consent allows. */
  readonly withheldScopes = new Set<string>();

  constructor(
    private readonly provider: Provider,
    private readonly clientId: string,
    private readonly byEmail: (email: string) => { sub: string } | undefined,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, isSubmit: boolean): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    // The sandbox grants whatever the client asked for, so consent never needs a page.
    if (details.prompt.name === 'consent') return this.consent(req, res, details);
    if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
    if (!isSubmit) return this.page(res, 200, details, String(details.params.login_hint ?? ''));
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();

    const email = new URLSearchParams(await readBody(req)).get('email')?.trim() ?? '';
    const user = this.byEmail(email);
    // 200, not 4xx: a re-shown form is normal, and browsers log 4xx pages as console errors.
    if (!user) return this.page(res, 200, details, email, `There is no sandbox account for "${email}".`);
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  }

  private async consent(req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
    const { Grant } = this.provider;
    const existing = details.grantId ? await Grant.find(details.grantId) : undefined;
    const grant = existing ?? new Grant({ accountId: details.session?.accountId ?? '', clientId: this.clientId });
    const requested = String(details.params.scope ?? '').split(' ');
    grant.addOIDCScope(requested.filter((scope) => !this.withheldScopes.has(scope)).join(' '));
    // Rejected, not just missing: otherwise oidc-provider would ask for consent again forever.
    const withheld = requested.filter((scope) => this.withheldScopes.has(scope));
    if (withheld.length > 0) grant.rejectOIDCScope(withheld.join(' '));
    const missingClaims = details.prompt.details.missingOIDCClaims;
    if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims.map(String));
    const grantId = await grant.save();
    await this.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  private page(res: ServerResponse, status: number, details: InteractionDetails, email: string, error?: string): void {
    const html = renderLoginPage({
      action: `/interaction/${details.uid}/login`,
      email,
      clientId: String(details.params.client_id ?? ''),
      scopes: String(details.params.scope ?? '')
        .split(' ')
        .filter(Boolean),
      ...(error ? { error } : {}),
    });
    res
      .writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': LOGIN_PAGE_CSP,
      })
      .end(html);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers a failed interaction request with a small HTML error page. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy();
  const e = error as { statusCode?: number; error?: string; error_description?: string; message?: string };
  const text = e.error_description ?? e.message ?? String(error);
  res
    .writeHead(e.statusCode ?? 500, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(
      `<!doctype html><title>Sandbox error</title><h1>${escapeHtml(e.error ?? 'error')}</h1><p>${escapeHtml(text)}</p>`,
    );
}
