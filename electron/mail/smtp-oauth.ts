/**
 * SASL for OAuth 2.0 access tokens, as one nodemailer `customAuth` handler: XOAUTH2 (Google,
 * Microsoft) and OAUTHBEARER (RFC 7628, what standard servers such as Dovecot offer). nodemailer
 * never picks a custom mechanism by itself and its `type: 'OAuth2'` always speaks XOAUTH2, so the
 * transport names this handler as its method and the handler chooses from what the server offers.
 *
 * The handler asks for the access token itself, exactly once per connection; it never refreshes.
 * A refused token ends the mechanism's error exchange (XOAUTH2: empty line; OAUTHBEARER: `AQ==`)
 * and is reported with the server's final 535, so the sender's own retry (drop the cached token,
 * refresh, one more attempt, then needs-sign-in) covers both mechanisms the same way.
 */
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { AppError } from '../shared/errors';

/** The method name the transport gives nodemailer; not a SASL mechanism of its own. */
export const OAUTH_SASL_METHOD = 'QUICKSEND-OAUTH';

export type OAuthMechanism = 'XOAUTH2' | 'OAUTHBEARER';

export type OAuthSaslOptions = {
  /** XOAUTH2 `user=`, OAUTHBEARER `a=`: the address the token was issued to. */
  user: string;
  /** Where the connection goes (OAUTHBEARER's `host` and `port` pairs). */
  host: string;
  port: number;
  /** Use OAUTHBEARER when the server offers both (a provider set to prefer the standard). */
  preferOAuthBearer: boolean;
  /** Our EHLO name, to read the server's mechanism list again when it matters. */
  ehloName: string;
  /** The access token for this connection; may throw (AppError `auth.needs_sign_in`, ...). */
  accessToken(): Promise<string>;
  /** Told which mechanism a connection used (for the log). */
  onMechanism?(mechanism: OAuthMechanism): void;
};

type Context = SMTPConnection.CustomAuthenticationContext;

/** RFC 7628 3.1 / RFC 5801 saslname: `,` and `=` are escaped in the authorization identity. */
function saslName(value: string): string {
  return value.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

/** The initial client response of `mechanism`, base64. */
export function initialResponse(
  mechanism: OAuthMechanism,
  options: Pick<OAuthSaslOptions, 'user' | 'host' | 'port'>,
  token: string,
): string {
  const text =
    mechanism === 'XOAUTH2'
      ? `user=${options.user}\x01auth=Bearer ${token}\x01\x01`
      : `n,a=${saslName(options.user)},\x01host=${options.host}\x01port=${options.port}\x01auth=Bearer ${token}\x01\x01`;
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The SASL mechanisms of an EHLO reply (all `AUTH` lines, RFC 4954 4). */
export function mechanismsOf(ehloReply: string): Set<string> {
  const found = new Set<string>();
  for (const line of ehloReply.split(/\r?\n/)) {
    const match = /^\d{3}[ -]AUTH[ =](.*)$/i.exec(line.trim());
    if (match?.[1]) for (const name of match[1].trim().split(/\s+/)) found.add(name.toUpperCase());
  }
  return found;
}

/** Picks the mechanism from what the server offers; null when it offers neither. */
export function chooseMechanism(offered: ReadonlySet<string>, preferOAuthBearer: boolean): OAuthMechanism | null {
  const bearer = offered.has('OAUTHBEARER');
  const xoauth2 = offered.has('XOAUTH2');
  if (bearer && (preferOAuthBearer || !xoauth2)) return 'OAUTHBEARER';
  if (xoauth2) return 'XOAUTH2';
  return null;
}

const authFailed = () => new Error('Invalid login');

/** The `customAuth` handler for one transport. */
export function oauthSasl(options: OAuthSaslOptions): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    // Before any command, so a token failure carries no server reply and keeps its own code.
    const token = await options.accessToken();
    const mechanism = await pick(ctx);
    options.onMechanism?.(mechanism);
    const first = await ctx.sendCommand(`AUTH ${mechanism} ${initialResponse(mechanism, options, token)}`);
    if (first.status === 235) return;
    if (first.status !== 334) throw authFailed();
    // The error exchange: Gmail's XOAUTH2 wants an empty line, RFC 7628 3.2.3 a single %x01.
    await ctx.sendCommand(mechanism === 'XOAUTH2' ? '' : 'AQ==');
    throw authFailed();
  };

  async function pick(ctx: Context): Promise<OAuthMechanism> {
    // nodemailer lists XOAUTH2 when offered but never OAUTHBEARER (it only tracks the mechanisms
    // it implements), so the usual case needs no extra round trip; otherwise read the list again
    // (RFC 5321 4.1.4 allows a repeated EHLO; before AUTH it changes nothing).
    if (ctx.authMethods.includes('XOAUTH2') && !options.preferOAuthBearer) return 'XOAUTH2';
    const ehlo = await ctx.sendCommand(`EHLO ${options.ehloName}`);
    const offered = mechanismsOf(ehlo.response);
    const chosen = chooseMechanism(offered, options.preferOAuthBearer);
    if (chosen) return chosen;
    const list = [...offered].join(', ') || 'none';
    throw new AppError(
      'smtp.no_oauth_mechanism',
      `The mail server does not offer a way to sign in with OAuth (it offers: ${list.slice(0, 120)}).`,
      {
        hint: 'Check the server name and port in the provider settings; the server must offer OAUTHBEARER or XOAUTH2 (ask its administrator).',
      },
    );
  }
}
