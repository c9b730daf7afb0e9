// The SASL handler against a scripted server: which mechanism it picks from what is offered, the
// exact client responses (XOAUTH2, RFC 7628 OAUTHBEARER), one token per connection, and each
// mechanism's error exchange ending in a rejection that carries the server's 535.
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { describe, expect, it } from 'vitest';
import { chooseMechanism, initialResponse, mechanismsOf, oauthSasl } from '../../../../electron/mail/smtp-oauth';
import { AppError } from '../../../../electron/shared/errors';

type Reply = SMTPConnection.CustomAuthenticationResponse;
const reply = (command: string, response: string): Reply => ({
  command,
  response,
  status: Number(/^(\d{3}) /.exec(response)?.[1] ?? 0),
  text: response.slice(4),
});

/** A server that answers each command from `answers` in order, and records what it got. */
function scripted(authMethods: string[], answers: string[]) {
  const commands: string[] = [];
  const ctx = {
    auth: { credentials: { user: 'ada@example.org', pass: '' } },
    authMethod: 'QUICKSEND-OAUTH',
    extensions: [],
    authMethods,
    maxAllowedSize: false as const,
    sendCommand: async (command: string) => {
      commands.push(command);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`no scripted answer for ${command}`);
      return reply(command, answer);
    },
    resolve: () => {},
    reject: () => {},
  } as unknown as SMTPConnection.CustomAuthenticationContext;
  return { ctx, commands };
}

function handler(options: { prefer?: boolean; token?: () => Promise<string> } = {}) {
  const calls = { token: 0, mechanisms: [] as string[] };
  const run = oauthSasl({
    user: 'ada@example.org',
    host: 'mail.example.org',
    port: 587,
    preferOAuthBearer: options.prefer ?? false,
    ehloName: '[127.0.0.1]',
    accessToken: async () => {
      calls.token += 1;
      return options.token ? options.token() : 'tok-123';
    },
    onMechanism: (m) => void calls.mechanisms.push(m),
  });
  return { run, calls };
}
const decode = (command: string) => Buffer.from(command.split(' ')[2]!, 'base64').toString('utf8');
const EHLO_BOTH = '250-smtp.example.org\n250-PIPELINING\n250 AUTH OAUTHBEARER XOAUTH2';

describe('initialResponse', () => {
  it('builds XOAUTH2 and RFC 7628 OAUTHBEARER, escaping , and = in the authorization identity', () => {
    const where = { user: 'a,b=c@example.org', host: 'mail.example.org', port: 587 };
    expect(Buffer.from(initialResponse('XOAUTH2', where, 'T'), 'base64').toString()).toBe(
      'user=a,b=c@example.org\x01auth=Bearer T\x01\x01',
    );
    expect(Buffer.from(initialResponse('OAUTHBEARER', where, 'T'), 'base64').toString()).toBe(
      'n,a=a=2Cb=3Dc@example.org,\x01host=mail.example.org\x01port=587\x01auth=Bearer T\x01\x01',
    );
  });
});

describe('mechanismsOf and chooseMechanism', () => {
  it('reads every AUTH line of an EHLO reply', () => {
    expect([...mechanismsOf('250-x\n250-AUTH PLAIN oauthbearer\n250-AUTH=LOGIN\n250 SIZE 10')]).toEqual([
      'PLAIN',
      'OAUTHBEARER',
      'LOGIN',
    ]);
  });

  it.each([
    [['XOAUTH2'], false, 'XOAUTH2'],
    [['XOAUTH2', 'OAUTHBEARER'], false, 'XOAUTH2'],
    [['XOAUTH2', 'OAUTHBEARER'], true, 'OAUTHBEARER'],
    [['OAUTHBEARER'], false, 'OAUTHBEARER'],
    [['XOAUTH2'], true, 'XOAUTH2'],
    [['PLAIN', 'LOGIN'], false, null],
  ] as const)('offered %j, prefer OAUTHBEARER %s: %s', (offered, prefer, expected) => {
    expect(chooseMechanism(new Set(offered), prefer)).toBe(expected);
  });
});

describe('oauthSasl', () => {
  it('XOAUTH2 when nodemailer saw it offered: no extra round trip, one token', async () => {
    const { run, calls } = handler();
    const server = scripted(['XOAUTH2'], ['235 2.7.0 Accepted']);
    await run(server.ctx);
    expect(server.commands).toHaveLength(1);
    expect(decode(server.commands[0]!)).toBe('user=ada@example.org\x01auth=Bearer tok-123\x01\x01');
    expect(calls).toEqual({ token: 1, mechanisms: ['XOAUTH2'] });
  });

  it('OAUTHBEARER when XOAUTH2 is absent: reads the mechanisms again with EHLO', async () => {
    const { run, calls } = handler();
    const server = scripted([], ['250-smtp.example.org\n250 AUTH OAUTHBEARER', '235 2.7.0 Accepted']);
    await run(server.ctx);
    expect(server.commands[0]).toBe('EHLO [127.0.0.1]');
    expect(server.commands[1]).toMatch(/^AUTH OAUTHBEARER /);
    expect(calls).toEqual({ token: 1, mechanisms: ['OAUTHBEARER'] });
  });

  it('OAUTHBEARER when the provider prefers it and the server offers both', async () => {
    const { run, calls } = handler({ prefer: true });
    await run(scripted(['XOAUTH2'], [EHLO_BOTH, '235 ok']).ctx);
    expect(calls.mechanisms).toEqual(['OAUTHBEARER']);
  });

  it('RFC 7628 failure: answers the error JSON with AQ== and rejects with the final 535', async () => {
    const { run } = handler();
    const json = Buffer.from('{"status":"invalid_token","scope":"mail"}').toString('base64');
    const server = scripted([], ['250 AUTH OAUTHBEARER', `334 ${json}`, '535 5.7.8 Authentication failed']);
    await expect(run(server.ctx)).rejects.toThrow('Invalid login');
    expect(server.commands.slice(2)).toEqual(['AQ==']);
  });

  it("Gmail's XOAUTH2 failure: answers the 334 challenge with an empty line, then rejects", async () => {
    const { run, calls } = handler();
    const json = Buffer.from('{"status":"401","schemes":"bearer"}').toString('base64');
    const server = scripted(['XOAUTH2'], [`334 ${json}`, '535 5.7.8 Username and Password not accepted']);
    await expect(run(server.ctx)).rejects.toThrow('Invalid login');
    expect(server.commands.slice(1)).toEqual(['']);
    // No refresh and no second AUTH here: the sender's own retry does that on a new connection.
    expect(calls.token).toBe(1);
  });

  it('a token failure is thrown before any command, unchanged', async () => {
    const { run } = handler({
      token: async () => Promise.reject(new AppError('auth.needs_sign_in', 'Sign in again.')),
    });
    const server = scripted(['XOAUTH2'], []);
    await expect(run(server.ctx)).rejects.toMatchObject({ code: 'auth.needs_sign_in' });
    expect(server.commands).toEqual([]);
  });

  it('a server that offers no OAuth mechanism: a clear error, and no token sent', async () => {
    const { run } = handler();
    const server = scripted([], ['250-smtp.example.org\n250 AUTH PLAIN LOGIN']);
    await expect(run(server.ctx)).rejects.toMatchObject({
      code: 'smtp.no_oauth_mechanism',
      message: expect.stringContaining('it offers: PLAIN, LOGIN'),
    });
    expect(server.commands).toEqual(['EHLO [127.0.0.1]']);
  });
});
