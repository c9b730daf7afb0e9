import { describe, expect, test, vi } from 'vitest';
import { createRouter, type Handlers } from '../../../../electron/ipc/router';
import { AppError } from '../../../../electron/shared/errors';
import { MAX_STRING } from '../../../../electron/ipc/contract';
import { memoryLogger } from '../../../fakes/logger';

const trusted = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };

function setup(overrides: Partial<Handlers> = {}) {
  const info = vi.fn(async () => ({
    name: 'Quicksend' as const,
    version: '1.0.0',
    platform: 'linux',
    development: false,
    dataDirectory: 'ready' as const,
    keyStore: 'test',
  }));
  const list = vi.fn(async () => []);
  const handlers = { 'app:info': info, 'accounts:list': list, ...overrides } as unknown as Handlers;
  const { logger, records } = memoryLogger();
  const router = createRouter({
    handlers,
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
    logger,
    validateResponses: true,
  });
  return { router, info, list, records };
}

describe('router', () => {
  test('a trusted, well-formed request reaches its handler and returns its value', async () => {
    const { router, info } = setup();
    const result = await router.handle('app:info', {}, trusted);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ name: 'Quicksend', version: '1.0.0' }) });
    expect(info).toHaveBeenCalledTimes(1);
  });

  test('an unknown channel is refused and no handler runs', async () => {
    const { router, info, list } = setup();
    for (const channel of ['accounts:steal', '__proto__', 'constructor', 42, null]) {
      const result = await router.handle(channel, {}, trusted);
      expect(result).toMatchObject({ ok: false, error: { code: 'ipc.unknown_channel' } });
    }
    expect(info).not.toHaveBeenCalled();
    expect(list).not.toHaveBeenCalled();
  });

  test.each([
    ['another origin', { frameUrl: 'https://evil.example/', isMainFrame: true }],
    ['a sub-frame of our page', { frameUrl: 'app://quicksend/index.html', isMainFrame: false }],
    ['file://', { frameUrl: 'file:///etc/passwd', isMainFrame: true }],
    ['no URL', { frameUrl: '', isMainFrame: true }],
    ['a look-alike host', { frameUrl: 'app://quicksend.evil/index.html', isMainFrame: true }],
  ])('a request from %s is refused and no handler runs', async (_name, sender) => {
    const { router, info } = setup();
    const result = await router.handle('app:info', {}, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
    expect(info).not.toHaveBeenCalled();
  });

  test.each([
    ['a wrong type', 'hello'],
    ['an array', []],
    ['an extra key', { extra: 1 }],
    ['an oversized string in an extra key', { x: 'a'.repeat(MAX_STRING + 1) }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
  ])('a payload with %s is refused and no handler runs', async (_name, payload) => {
    const { router, info } = setup();
    const result = await router.handle('app:info', payload, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } });
    expect(info).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('the refusal names the field but never echoes the value', async () => {
    const { router, records } = setup();
    const result = await router.handle('app:info', { secretish: 'value-that-must-not-echo' }, trusted);
    expect(JSON.stringify(result)).not.toContain('value-that-must-not-echo');
    expect(JSON.stringify(records)).not.toContain('value-that-must-not-echo');
  });

  describe('mail:send limits are refused in plain words, naming the limit', () => {
    const base = { accountId: 'acc-1', to: ['ann@example.org'], subject: 'Hi', text: 'Hello' };
    test.each([
      ['a 1,000-character subject', { subject: 'x'.repeat(1000) }, 'The subject is too long: at most 998 characters.'],
      [
        'a text over 10 MiB',
        { text: 'y'.repeat(10 * 1024 * 1024 + 1) },
        'The message text is too long: at most 10,485,760 characters (10 MiB).',
      ],
      [
        '101 To recipients',
        { to: Array.from({ length: 101 }, (_, i) => `r${i}@example.org`) },
        'To has too many recipients: at most 100 in one field.',
      ],
      [
        '101 Bcc recipients',
        { bcc: Array.from({ length: 101 }, (_, i) => `r${i}@example.org`) },
        'Bcc has too many recipients: at most 100 in one field.',
      ],
      [
        'an address of 321 characters',
        { cc: ['ok@example.org', `${'a'.repeat(309)}@example.org`] },
        'Cc (entry 2) is too long for an email address: at most 320 characters.',
      ],
      [
        '101 attachments',
        { attachments: Array.from({ length: 101 }, (_, i) => ({ fileId: `f${String(i).padStart(21, '0')}` })) },
        'There are too many attachments: at most 100 in one message.',
      ],
    ])('%s', async (_name, change, message) => {
      const send = vi.fn(async () => ({ id: 'x', sendAt: new Date(0).toISOString() }));
      const { router } = setup({ 'mail:send': send } as Partial<Handlers>);
      const result = await router.handle('mail:send', { ...base, ...change }, trusted);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'ipc.invalid_request', message, hint: expect.any(String) },
      });
      expect(send).not.toHaveBeenCalled();
    });

    test('a limit next to a malformed field keeps the generic answer', async () => {
      const { router } = setup();
      const result = await router.handle(
        'mail:send',
        { ...base, subject: 'x'.repeat(1000), to: 'not-a-list' },
        trusted,
      );
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'ipc.invalid_request', message: expect.stringContaining('not understood') },
      });
    });
  });

  describe('file paths from the renderer', () => {
    test.each([
      [
        'mail:send',
        {
          accountId: 'acc-1',
          to: ['ann@example.org'],
          subject: 'Hi',
          text: 'Hello',
          attachments: [{ path: '/home/ada/.ssh/id_rsa' }],
        },
      ],
      ['files:describe', { paths: ['/etc/passwd'] }],
      [
        'drafts:save',
        {
          draft: {
            accountId: null,
            to: [],
            cc: [],
            bcc: [],
            subject: '',
            text: '',
            attachments: [{ path: '/etc/passwd', name: 'passwd', sizeBytes: 1 }],
          },
        },
      ],
    ] as const)('%s naming a path is refused as such, and no handler runs', async (channel, payload) => {
      const handler = vi.fn();
      const { router, records } = setup({ [channel]: handler } as Partial<Handlers>);
      const result = await router.handle(channel, payload, trusted);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'files.path_refused', message: expect.stringContaining('does not take a file path') },
      });
      expect(handler).not.toHaveBeenCalled();
      expect(JSON.stringify([result, records])).not.toMatch(/id_rsa|passwd/);
    });
  });

  describe('preload channels', () => {
    const addDropped = vi.fn(async () => []);
    const withPreload = () => {
      const { logger } = memoryLogger();
      return createRouter({
        handlers: {} as Handlers,
        preloadHandlers: { 'files:addDropped': addDropped },
        senderPolicy: { allowedOrigins: ['app://quicksend'] },
        logger,
      });
    };

    test('are reached only through handlePreload: handle() does not know them', async () => {
      const router = withPreload();
      expect(await router.handle('files:addDropped', { paths: ['/etc/passwd'] }, trusted)).toMatchObject({
        ok: false,
        error: { code: 'ipc.unknown_channel' },
      });
      expect(addDropped).not.toHaveBeenCalled();
      expect(await router.handlePreload('files:addDropped', { paths: ['/home/ada/a.txt'] }, trusted)).toEqual({
        ok: true,
        value: [],
      });
      expect(addDropped).toHaveBeenCalledWith({ paths: ['/home/ada/a.txt'] }, { sender: trusted });
    });

    test('check the sender and the payload like any channel; contract channels are not preload channels', async () => {
      const router = withPreload();
      addDropped.mockClear();
      expect(
        await router.handlePreload(
          'files:addDropped',
          { paths: ['/a'] },
          { frameUrl: 'https://evil.example/', isMainFrame: true },
        ),
      ).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
      expect(await router.handlePreload('files:addDropped', { paths: 'nope' }, trusted)).toMatchObject({
        ok: false,
        error: { code: 'ipc.invalid_request' },
      });
      expect(await router.handlePreload('app:info', {}, trusted)).toMatchObject({
        ok: false,
        error: { code: 'ipc.unknown_channel' },
      });
      expect(addDropped).not.toHaveBeenCalled();
    });
  });

  test('a thrown AppError maps to its code, message and hint', async () => {
    const { router } = setup({
      'accounts:list': async () => {
        throw new AppError('vault.unreadable', 'The account store is locked.', { hint: 'Unlock your keyring.' });
      },
    });
    const result = await router.handle('accounts:list', {}, trusted);
    expect(result).toEqual({
      ok: false,
      error: { code: 'vault.unreadable', message: 'The account store is locked.', hint: 'Unlock your keyring.' },
    });
  });

  test('a bug becomes a generic internal error, logged without leaking its detail to the caller', async () => {
    const { router, records } = setup({
      'accounts:list': async () => {
        throw new TypeError('cannot read x of undefined at /home/user/secret-path');
      },
    });
    const result = await router.handle('accounts:list', {}, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret-path');
    expect(records.some((r) => r.level === 'error')).toBe(true);
  });

  test('a response that breaks its schema is caught when responses are validated', async () => {
    const { router } = setup({ 'accounts:list': async () => [{ id: 'a', refreshToken: 'x' }] as never });
    const result = await router.handle('accounts:list', {}, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('accounts:update is validated like mail:send, at the contract', () => {
  test.each([
    [
      'a display name with CR/LF',
      { displayName: 'Ann\r\nBcc: eve@evil.example' },
      'The display name contains a line break or control character, which is not allowed there.',
    ],
    [
      'a display name with a NUL',
      { displayName: 'Ann\u0000' },
      'The display name contains a line break or control character, which is not allowed there.',
    ],
    [
      'a From with CR/LF',
      { fromAddress: 'ann@example.org\r\nBcc: eve@evil.example' },
      'The From address contains a line break or control character, which is not allowed there.',
    ],
    [
      'a From that is not an address',
      { fromAddress: 'not an address' },
      'The From address is not a valid email address.',
    ],
    [
      'a From with a name part',
      { fromAddress: 'Ann <ann@example.org>' },
      'The From address is not a valid email address.',
    ],
    [
      'a From whose domain cannot receive mail',
      { fromAddress: 'ann@localhost' },
      'The From address has a domain name that cannot receive mail.',
    ],
  ])('%s is refused with a field-level message and nothing is stored', async (_name, change, message) => {
    const update = vi.fn(async () => ({}));
    const { router } = setup({ 'accounts:update': update } as unknown as Partial<Handlers>);
    const result = await router.handle('accounts:update', { accountId: 'acc-1', ...change }, trusted);
    expect(update).not.toHaveBeenCalled();
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request', message } });
  });

  test('a plain display name and a real address (IDN too) pass', async () => {
    const update = vi.fn(async () => ({}));
    const { router } = setup({ 'accounts:update': update } as unknown as Partial<Handlers>);
    await router.handle(
      'accounts:update',
      { accountId: 'acc-1', displayName: 'Jörg Smith, Sales', fromAddress: ' jörg@bücher.de ' },
      trusted,
    );
    expect(update).toHaveBeenCalledTimes(1);
  });
});
