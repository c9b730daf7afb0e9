import { describe, expect, test } from 'vitest';
import { createLogger, createMemorySink } from '../../../../electron/shared/logger';
import { createRedactor, REDACTED } from '../../../../electron/shared/redactor';

// Every character class that the encodings treat differently: JSON escapes (" \), URL and
// form reserved characters (& = + / space), ones only form-encoding escapes (! ~), non-ASCII.
const SECRET = 'ya29.a0Af-SECRET_value/with+chars=&"quote\\ and space!~ü';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

const FORMS: Record<string, string> = {
  raw: SECRET,
  base64: b64(SECRET),
  base64url: b64url(SECRET),
  'URL-encoded': encodeURIComponent(SECRET),
  'URL-encoded, lower-case hex': encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
  'form-encoded (URLSearchParams)': new URLSearchParams({ q: SECRET }).toString().slice(2),
  'form-encoded (+ for space)': encodeURIComponent(SECRET).replace(/%20/g, '+'),
  'JSON-escaped': JSON.stringify(SECRET).slice(1, -1),
};

/** Logs through a real logger into a memory sink and returns everything the sink got. */
function dumpOf(log: (logger: ReturnType<typeof createLogger>) => void, secrets: string[] = [SECRET]): string {
  const redactor = createRedactor();
  for (const secret of secrets) redactor.register(secret);
  const sink = createMemorySink();
  log(createLogger({ sink, redactor, scope: 'test', level: 'debug' }));
  expect(sink.records.length).toBeGreaterThan(0);
  return JSON.stringify(sink.records);
}

/** The dump is JSON, so a needle may sit in it raw or JSON-escaped; neither may appear. */
function expectAbsent(dump: string, needle: string): void {
  expect(dump).not.toContain(needle);
  expect(dump).not.toContain(JSON.stringify(needle).slice(1, -1));
}

function expectNoSecretForm(dump: string): void {
  for (const form of Object.values(FORMS)) expectAbsent(dump, form);
}

const PLACEMENTS: Record<string, (text: string) => [string, unknown?]> = {
  message: (text) => [text],
  'data string': (text) => ['m', text],
  'object field': (text) => ['m', { note: text }],
  array: (text) => ['m', ['x', [text]]],
  'deep nesting': (text) => {
    let value: unknown = { note: text };
    for (let i = 0; i < 40; i += 1) value = i % 2 ? { level: value } : [value];
    return ['m', value];
  },
  'Error message and stack': (text) => ['m', new Error(text)],
  'Error cause chain': (text) => ['m', new Error('outer', { cause: new Error('middle', { cause: { note: text } }) })],
  'Map value and key': (text) => [
    'm',
    new Map<unknown, unknown>([
      ['note', text],
      [text, 1],
    ]),
  ],
  'Set inside Map inside object': (text) => ['m', { a: new Map([['k', new Set([text])]]) }],
};

describe('registered secrets never reach the sink', () => {
  const cases = Object.entries(FORMS).flatMap(([form, encoded]) =>
    Object.entries(PLACEMENTS).map(([place, build]) => ({ form, place, args: build(`ctxleft ${encoded} ctxright`) })),
  );

  test.each(cases)('$form in $place', ({ args }) => {
    const dump = dumpOf((log) => log.info(...args));
    expectNoSecretForm(dump);
    expect(dump).toContain('ctxleft');
    expect(dump).toContain('ctxright');
    expect(dump).toContain(REDACTED);
  });

  test('control: an unregistered secret does reach the sink, so the checks above can fail', () => {
    const dump = dumpOf((log) => log.info(`ctxleft ${SECRET} ctxright`), []);
    expect(dump).toContain(JSON.stringify(SECRET).slice(1, -1));
  });

  test.each([0, 1, 2])('base64 of the secret at byte alignment %i inside a larger payload', (shift) => {
    const encoded = b64(`${'xyz'.slice(0, shift)}${SECRET}!!`);
    // Glued to letters, the blob no longer decodes on its own; only the alignment forms catch it.
    const dump = dumpOf((log) => log.info(`ctxleft zz${encoded} ctxright`));
    expectAbsent(dump, encoded.slice(4, -4));
    expectAbsent(dump, encoded.slice(4, 16));
    expect(dump).toContain('ctxleft zz');
  });

  test('short secrets are ignored and forget() stops masking', () => {
    const redactor = createRedactor();
    redactor.register('short');
    expect(redactor.redactString('a short word')).toBe('a short word');
    redactor.register('rotated-token-1234');
    expect(redactor.redactString('t=rotated-token-1234')).toBe(`t=${REDACTED}`);
    redactor.forget('rotated-token-1234');
    expect(redactor.redactString('t=rotated-token-1234')).toBe('t=rotated-token-1234');
  });
});

describe('credential patterns are masked without registration', () => {
  const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXBhcnQ';
  const TOKEN = 'ya29.A0unregistered-Token_value';
  const XOAUTH2 = `user=me@example.com\x01auth=Bearer ${TOKEN}\x01\x01`;
  // RFC 7628 OAUTHBEARER: a GS2 header, then the same kvpairs (host and port included).
  const OAUTHBEARER = `n,a=me@example.com,\x01host=smtp.example.org\x01port=587\x01auth=Bearer ${TOKEN}\x01\x01`;

  const cases: Array<{ name: string; text: string; secrets: string[]; kept: string[] }> = [
    {
      name: 'JWT',
      text: `id token ${JWT} received`,
      secrets: [JWT, 'c2lnbmF0dXJlLXBhcnQ'],
      kept: ['id token', 'received'],
    },
    { name: 'Bearer', text: `sent Bearer ${TOKEN} ok`, secrets: [TOKEN], kept: ['sent Bearer', 'ok'] },
    { name: 'bearer, lower case', text: `sent bearer ${TOKEN} ok`, secrets: [TOKEN], kept: ['sent bearer', 'ok'] },
    { name: 'Bearer, URL-encoded', text: `h=Bearer%20${TOKEN}&x=1`, secrets: [TOKEN], kept: ['x=1'] },
    {
      name: 'XOAUTH2 raw',
      text: `sasl ${XOAUTH2} end`,
      secrets: [TOKEN, XOAUTH2],
      kept: ['sasl', 'user=me@example.com', 'end'],
    },
    {
      name: 'XOAUTH2 base64',
      text: `C: AUTH XOAUTH2 ${b64(XOAUTH2)}`,
      secrets: [b64(XOAUTH2), TOKEN],
      kept: ['C: AUTH XOAUTH2'],
    },
    {
      name: 'OAUTHBEARER raw',
      text: `sasl ${OAUTHBEARER} end`,
      secrets: [TOKEN],
      kept: ['sasl', 'n,a=me@example.com', 'end'],
    },
    {
      name: 'OAUTHBEARER base64',
      text: `C: AUTH OAUTHBEARER ${b64(OAUTHBEARER)}`,
      secrets: [b64(OAUTHBEARER), TOKEN],
      kept: ['C: AUTH OAUTHBEARER'],
    },
    // `$` is outside the Bearer token alphabet, so only the XOAUTH2 rule covers the tail.
    {
      name: 'XOAUTH2 raw, token with unusual characters',
      text: 'user=a@b.c\x01auth=Bearer tok$tail-part-9\x01\x01',
      secrets: ['tail-part-9'],
      kept: ['user=a@b.c'],
    },
    {
      name: 'XOAUTH2 base64 with opaque token',
      text: `AUTH XOAUTH2 ${b64('user=a@b.c\x01auth=Bearer q\x01\x01')}`,
      secrets: [b64('user=a@b.c\x01auth=Bearer q\x01\x01')],
      kept: ['AUTH XOAUTH2'],
    },
    {
      name: 'Authorization header',
      text: 'GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNzd29yZA==\r\nHost: example.com',
      secrets: ['dXNlcjpwYXNzd29yZA'],
      kept: ['GET / HTTP/1.1', 'Host: example.com'],
    },
    {
      name: 'Authorization in JSON text',
      text: '{"authorization":"Token abc123secretvalue","id":7}',
      secrets: ['abc123secretvalue'],
      kept: ['"id":7'],
    },
    {
      name: 'Cookie header',
      text: 'Cookie: sid=abcdef123456\nAccept: */*',
      secrets: ['abcdef123456'],
      kept: ['Accept: */*'],
    },
    {
      name: 'code= in callback URL',
      text: 'callback http://127.0.0.1:5000/callback?code=4/0AbCdEfG-hij&state=st4te',
      secrets: ['4/0AbCdEfG-hij', '0AbCdEfG'],
      kept: ['/callback?code=', 'state=st4te'],
    },
    {
      name: 'code_verifier and refresh_token in a form body',
      text: 'grant_type=refresh_token&refresh_token=1//0gRefreshValue&code_verifier=verifierValue99&client_id=cid',
      secrets: ['1//0gRefreshValue', 'verifierValue99'],
      kept: ['grant_type=refresh_token', 'client_id=cid'],
    },
    {
      name: 'code inside an URL-encoded redirect',
      text: 'next=%2Fcb%3Fcode%3DencodedCode123%26state%3Dz',
      secrets: ['encodedCode123'],
      kept: ['state%3Dz'],
    },
    {
      name: 'access_token in JSON response text',
      text: '{"access_token":"ya29.respTokenX","expires_in":3599}',
      secrets: ['respTokenX'],
      kept: ['"expires_in":3599'],
    },
    {
      name: 'client_secret as key: value',
      text: 'client_secret: GOCSPX-abcdef123 loaded',
      secrets: ['GOCSPX-abcdef123'],
      kept: ['loaded'],
    },
  ];

  test.each(cases)('$name', ({ text, secrets, kept }) => {
    const calls: Array<[string, unknown?]> = [[text], ['m', { nested: [{ text: 'x', value: text }] }]];
    for (const args of calls) {
      const dump = dumpOf((log) => log.warn(...args), []);
      for (const secret of secrets) expectAbsent(dump, secret);
      for (const word of kept) expect(dump).toContain(JSON.stringify(word).slice(1, -1));
    }
  });
});

describe('secret field names', () => {
  const NAMES = [
    'access_token',
    'accessToken',
    'refresh_token',
    'refreshToken',
    'id_token',
    'idToken',
    'code',
    'code_verifier',
    'codeVerifier',
    'client_secret',
    'clientSecret',
    'password',
    'pass',
    'secret',
    'token',
    'authorization',
    'Authorization',
    'cookie',
    'set-cookie',
    'Set-Cookie',
    'body',
    'text',
    'html',
    'ACCESS_TOKEN',
    'Refresh-Token',
  ];

  test.each(NAMES)('%s is masked at any depth, in objects and Maps', (name) => {
    const value = `value-of-${name}-zq`;
    const data = {
      user: 'me@example.com',
      [name]: value,
      deep: [{ inner: new Map([[name, value]]) }],
      obj: { [name]: { nested: value } },
    };
    const dump = dumpOf((log) => log.info('fields', data), []);
    expectAbsent(dump, value);
    expect(dump).toContain('me@example.com');
    expect(dump).toContain(JSON.stringify(name));
  });

  test('error codes stay readable, OAuth codes do not', () => {
    const redactor = createRedactor();
    expect(redactor.redact({ code: 'ECONNRESET', n: { code: 535 } })).toEqual({ code: 'ECONNRESET', n: { code: 535 } });
    expect(redactor.redact({ code: '4/0AbCd' })).toEqual({ code: REDACTED });
    // Our own dotted codes are the point of a failure log line (seen as "[REDACTED]" before).
    expect(redactor.redact({ code: 'smtp.transient', error: { code: 'auth.needs_sign_in' } })).toEqual({
      code: 'smtp.transient',
      error: { code: 'auth.needs_sign_in' },
    });
    // Dotted look-alikes that are not ours stay masked: Microsoft's personal-account codes,
    // unknown domains, digits or capitals after a known domain.
    for (const code of [
      'M.C507_BAY.2.U.abc',
      'evil.looks_like_ours',
      'smtp.Abc',
      'auth.x9y',
      'smtp.transient.extra',
      'smtp.',
    ]) {
      expect(redactor.redact({ code })).toEqual({ code: REDACTED });
    }
    expect(redactor.redact({ token: undefined, password: null })).toEqual({ token: undefined, password: null });
  });
});

describe('structure', () => {
  test('cycles are cut, shared references are kept', () => {
    const shared = { name: 'shared' };
    const a: Record<string, unknown> = { name: 'a', shared, again: shared, list: [] as unknown[] };
    a.self = a;
    (a.list as unknown[]).push(a, new Map([['back', a]]));
    const error = new Error('loop');
    (error as Error & { cause: unknown }).cause = error;
    const redactor = createRedactor();
    const out = redactor.redact({ a, error }) as { a: Record<string, unknown>; error: Record<string, unknown> };
    expect(out.a.self).toBe('[Circular]');
    expect(out.a.list).toEqual(['[Circular]', { back: '[Circular]' }]);
    expect(out.a.again).toEqual({ name: 'shared' });
    expect(out.error.cause).toBe('[Circular]');
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  test('the input is not mutated', () => {
    const cause = new Error(`inner ${SECRET}`);
    const input = {
      token: SECRET,
      list: [SECRET, { password: 'hunter2-long' }],
      map: new Map([['k', SECRET]]),
      error: new Error('outer', { cause }),
    };
    const before = structuredClone(input);
    const redactor = createRedactor();
    redactor.register(SECRET);
    const out = redactor.redact(input);
    expect(out).not.toBe(input);
    expect(input).toEqual(before);
    expect(input.map.get('k')).toBe(SECRET);
    expect(cause.message).toBe(`inner ${SECRET}`);
  });

  test('Errors, Maps, bytes and odd values become JSON-friendly', () => {
    class SmtpError extends Error {
      code = 'EAUTH';
      response = '535 5.7.8 Username and Password not accepted';
    }
    const redactor = createRedactor();
    const out = redactor.redact({
      err: new SmtpError('Invalid login'),
      map: new Map<unknown, unknown>([[1, 'one']]),
      bytes: Buffer.from(SECRET),
      when: new Date(0),
      big: 10n,
      throwing: {
        get boom(): never {
          throw new Error('no');
        },
      },
    }) as Record<string, Record<string, unknown>>;
    expect(out.err).toMatchObject({
      name: 'Error',
      message: 'Invalid login',
      code: 'EAUTH',
      response: expect.stringContaining('535'),
    });
    expect(out.map).toEqual({ 1: 'one' });
    expect(out.bytes).toMatch(/^\[\w+ \d+ bytes\]$/);
    expect(out.when).toBe('1970-01-01T00:00:00.000Z');
    expect(out.big).toBe('10');
    expect(out.throwing).toBe('[Unreadable]');
  });
});
