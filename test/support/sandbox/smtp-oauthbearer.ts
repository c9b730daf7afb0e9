// SASL OAUTHBEARER (RFC 7628) for the sandbox SMTP server. smtp-server 3.21 knows PLAIN, LOGIN,
// CRAM-MD5 and XOAUTH2 only, so this adds the mechanism to each connection by wrapping its
// `handler_AUTH` (smtp-server looks command handlers up on the connection as `handler_<NAME>`).
// The token goes through the server's own onAuth, like XOAUTH2, and a refusal runs the RFC's
// error exchange strictly: `334 <base64 JSON>`, the client must answer `AQ==` (a single %x01),
// then `535 5.7.8`; any other answer gets `501`, as a real server would refuse a broken client.
// The wrapper relies on smtp-server internals (`send`, `_nextHandler`, `session`, `secure`,
// `_server.options`) of the pinned 3.21.6; the sandbox tests notice if those move.
import type { SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';

/** What the client sent, decoded: the authorization identity (`a=`) and the bearer token. */
export type OAuthBearerRequest = { authzid: string | null; token: string; host: string | null; port: string | null };

/** Parses a base64 RFC 7628 client response; returns a reason string when it is malformed. */
export function parseOAuthBearer(base64: string): OAuthBearerRequest | string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return 'not base64';
  const text = Buffer.from(base64, 'base64').toString('utf8');
  // gs2-header: gs2-cb-flag "," [ "a=" saslname ] "," ; OAUTHBEARER never does channel binding.
  // eslint-disable-next-line no-control-regex -- %x01 separates the RFC 7628 fields
  const header = /^([ny]),(?:a=((?:[^,=\x01]|=2C|=3D)+))?,/.exec(text);
  if (!header) return 'bad GS2 header (channel binding is not supported)';
  const rest = text.slice(header[0].length);
  if (!rest.startsWith('\x01') || !rest.endsWith('\x01\x01')) return 'missing %x01 separators';
  const pairs = rest.slice(1, -2).split('\x01');
  const values = new Map<string, string>();
  for (const pair of pairs) {
    const match = /^([A-Za-z]+)=([\x21-\x7e \t]*)$/.exec(pair);
    if (!match || values.has(match[1]!)) return `bad key/value pair`;
    values.set(match[1]!, match[2]!);
  }
  const auth = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(values.get('auth') ?? '');
  if (!auth) return 'no "auth=Bearer <token>" pair';
  const authzid = header[2] === undefined ? null : header[2].replaceAll('=2C', ',').replaceAll('=3D', '=');
  return { authzid, token: auth[1]!, host: values.get('host') ?? null, port: values.get('port') ?? null };
}

type AuthCallback = (
  error: (Error & { responseCode?: number }) | null | undefined,
  response?: SMTPServerAuthenticationResponse,
) => void;

/** The parts of smtp-server's connection the wrapper uses. */
export type SmtpServerConnection = {
  session: SMTPServerSession;
  secure: boolean;
  send(code: number, data?: string): void;
  _nextHandler: ((line: Buffer | string, callback: () => void) => void) | false;
  _isSupported(command: string): boolean;
  _transmissionType(): string;
  _server: {
    options: { authMethods: string[]; allowInsecureAuth?: boolean; hideSTARTTLS?: boolean };
    onAuth(
      auth: { method: string; username: string; accessToken: string },
      session: SMTPServerSession,
      callback: AuthCallback,
    ): void;
  };
  handler_AUTH(command: Buffer | string, callback: () => void): void;
};

/** What the wrapper reports to the sandbox (for stats and test assertions). */
export type OAuthBearerEvents = {
  /** The client answered the error JSON: with `AQ==` (as RFC 7628 3.2.3 asks) or with something else. */
  onErrorStep?(answeredWithAQ: boolean): void;
};

/** Adds AUTH OAUTHBEARER to one smtp-server connection, when the server lists it in `authMethods`. */
export function addOAuthBearer(connection: SmtpServerConnection, events: OAuthBearerEvents = {}): void {
  const original = connection.handler_AUTH.bind(connection);
  connection.handler_AUTH = function (command, callback) {
    const args = command.toString().trim().split(/\s+/).slice(1);
    const method = (args.shift() ?? '').toUpperCase();
    if (method !== 'OAUTHBEARER' || !connection._server.options.authMethods.includes('OAUTHBEARER'))
      return original(command, callback);
    // The same guards smtp-server applies to its own mechanisms (smtp-connection.js handler_AUTH).
    const { options } = connection._server;
    if (
      !connection.secure &&
      connection._isSupported('STARTTLS') &&
      !options.hideSTARTTLS &&
      !options.allowInsecureAuth
    ) {
      connection.send(538, 'Error: Must issue a STARTTLS command first');
      return callback();
    }
    if (connection.session.user) {
      connection.send(503, 'Error: No identity changes permitted');
      return callback();
    }
    if (args.length > 1) {
      connection.send(501, 'Error: syntax: AUTH OAUTHBEARER initial-response');
      return callback();
    }
    if (args.length === 0) {
      // No initial response: an empty challenge, then the client response on its own line.
      connection._nextHandler = (line, done) => respond(line.toString().trim(), done);
      connection.send(334);
      return callback();
    }
    respond(args[0]!, callback);
  };

  function respond(response: string, callback: () => void): void {
    if (response === '*') {
      connection.send(501, 'Authentication aborted');
      return callback();
    }
    const parsed = parseOAuthBearer(response);
    if (typeof parsed === 'string') {
      connection.send(501, `5.5.2 Error: malformed OAUTHBEARER message (${parsed})`);
      return callback();
    }
    const username = parsed.authzid ?? '';
    connection._server.onAuth(
      { method: 'OAUTHBEARER', username, accessToken: parsed.token },
      connection.session,
      (error, result) => {
        if (error) {
          connection.send(error.responseCode ?? 535, error.message);
          return callback();
        }
        if (!result?.user) {
          // RFC 7628 3.2.2: the error JSON as a challenge; the client ends the exchange with %x01.
          connection._nextHandler = (line, done) => {
            const answer = line.toString().trim();
            events.onErrorStep?.(answer === 'AQ==');
            if (answer === 'AQ==') connection.send(535, '5.7.8 Error: authentication failed');
            else if (answer === '*') connection.send(501, 'Authentication aborted');
            else connection.send(501, '5.5.2 Error: expected AQ== (a single %x01) after the error message');
            done();
          };
          connection.send(
            334,
            Buffer.from(JSON.stringify(result?.data ?? { status: 'invalid_token' })).toString('base64'),
          );
          return callback();
        }
        connection.session.user = result.user;
        connection.session.transmissionType = connection._transmissionType();
        connection.send(235, 'Authentication successful');
        callback();
      },
    );
  }
}
