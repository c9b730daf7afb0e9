import { open } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, test } from 'vitest';
import type { SendingAccount } from '../../../../electron/accounts/sending-account';
import type { Account } from '../../../../electron/ipc/contract';
import { inspectAttachments } from '../../../../electron/mail/attachments';
import { FieldError, validateMessage } from '../../../../electron/mail/message';
import {
  base64Size,
  encodedMessageSize,
  formatBytes,
  MESSAGE_LIMITS,
  MESSAGE_OVERHEAD,
  PART_OVERHEAD,
  splitAddressList,
  textPartSize,
} from '../../../../electron/mail/message-rules';
import { emptyCompose, toSendRequest, validate, type ComposeState } from '../../../../renderer/src/lib/compose';
import { parseRecipients } from '../../../../renderer/src/lib/recipients';
import { tempDataDir } from '../../../support/node-ports';

/** The message as nodemailer writes it, with line ends as SMTP sends them (bare CR or LF become CR LF). */
async function onTheWire(options: ConstructorParameters<typeof MailComposer>[0]): Promise<string> {
  const built = await new MailComposer(options).compile().build();
  return built.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');
}

/** The body of a text-only message: what follows the header block. */
async function textBodyOnTheWire(text: string): Promise<number> {
  const message = await onTheWire({ from: 'ada@example.com', to: 'bob@example.org', text });
  return message.length - message.indexOf('\r\n\r\n') - 4;
}

// Text of the kinds people write: English, German, French, Japanese, code with `=`, line ends of
// every style, trailing blanks, long and short lines.
const piece = fc.constantFrom(
  'Hello ',
  'world',
  'Grüße ',
  'schön ',
  'où ',
  'élève ',
  '日本語',
  'の',
  'a = b ',
  '==',
  '\n',
  '\r\n',
  '\r',
  ' \n',
  '\t',
  '.',
  'x'.repeat(90),
  '😀',
  'Ω',
  '\uD800',
  '\u0007',
  '\u00A0',
);
const everydayText = fc.array(piece, { maxLength: 400 }).map((parts) => parts.join(''));

describe('base64 and UTF-8 arithmetic', () => {
  test('base64 is 4 characters per 3 bytes, rounded up, plus CRLF per 76-character line', () => {
    expect(base64Size(0)).toBe(0);
    expect(base64Size(1)).toBe(4 + 2);
    expect(base64Size(3)).toBe(4 + 2);
    expect(base64Size(57)).toBe(76 + 2); // exactly one full line
    expect(base64Size(58)).toBe(80 + 4); // a second, short line
    expect(base64Size(3 * 1024 * 1024)).toBe(4 * 1024 * 1024 + 2 * Math.ceil((4 * 1024 * 1024) / 76));
  });

  test('the real encoder agrees: Buffer base64 wrapped at 76 with CRLF', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (bytes) => {
        const real = Buffer.alloc(bytes, 1)
          .toString('base64')
          .replace(/.{1,76}/g, '$&\r\n').length;
        expect(base64Size(bytes)).toBe(real);
      }),
    );
  });

  test('a 10 MB file costs about 13.7 MB of the limit', () => {
    const ratio = base64Size(10 * 1024 * 1024) / (10 * 1024 * 1024);
    expect(ratio).toBeGreaterThan(1.35);
    expect(ratio).toBeLessThan(1.37);
  });
});

describe('the text part', () => {
  test('plain ASCII in short lines goes as it is, with CR LF line ends', () => {
    expect(textPartSize('')).toBe(0);
    expect(textPartSize('hello')).toBe(5 + 2);
    expect(textPartSize('a\nb\r\nc')).toBe('a\r\nb\r\nc\r\n'.length);
  });

  test('is never below what nodemailer writes, and at most a tenth above it', async () => {
    await fc.assert(
      fc.asyncProperty(everydayText, async (text) => {
        const real = await textBodyOnTheWire(text);
        const estimate = textPartSize(text);
        expect(estimate, JSON.stringify(text.slice(0, 200))).toBeGreaterThanOrEqual(real);
        expect(estimate, JSON.stringify(text.slice(0, 200))).toBeLessThanOrEqual(Math.ceil(real * 1.1) + 16);
      }),
      { numRuns: 300 },
    );
  });

  test('German prose goes quoted-printable and is counted as such, above its base64 size', async () => {
    const german = 'Schöne Grüße aus Köln, wir hören uns nächste Woche. '.repeat(200);
    const real = await textBodyOnTheWire(german);
    expect(real).toBeGreaterThan(base64Size(Buffer.byteLength(german)));
    expect(textPartSize(german)).toBeGreaterThanOrEqual(real);
  });
});

describe('the whole message', () => {
  test('adds the header allowance, the text part and each attachment encoded', () => {
    expect(encodedMessageSize('', [])).toBe(MESSAGE_OVERHEAD);
    expect(encodedMessageSize('hello', [300])).toBe(MESSAGE_OVERHEAD + 5 + 2 + PART_OVERHEAD + base64Size(300));
    expect(encodedMessageSize('日本語', [])).toBe(MESSAGE_OVERHEAD + base64Size(9));
  });

  test('18 MB of files fits under a 25 MB limit, 19 MB does not', () => {
    const limit = 25 * 1024 * 1024;
    expect(encodedMessageSize('hi', [18 * 1024 * 1024])).toBeLessThan(limit);
    expect(encodedMessageSize('hi', [19 * 1024 * 1024])).toBeGreaterThan(limit);
  });

  // An everyday message: a few dozen recipients at most, a subject and file names of a usual length.
  const word = fc.constantFrom('Ada', 'Lovelace', 'Müller', 'Jörg', '日本', 'report', 'Q3', 'draft', 'é', '-', ' ');
  const phrase = (max: number) =>
    fc.array(word, { minLength: 1, maxLength: max }).map((w) => w.join(' ').trim() || 'x');
  const everydayMessage = fc.record({
    fromName: phrase(4),
    recipients: fc.array(fc.tuple(phrase(3), fc.integer({ min: 0, max: 9999 })), { minLength: 1, maxLength: 30 }),
    subject: phrase(12),
    text: everydayText,
    files: fc.array(fc.tuple(phrase(4), fc.integer({ min: 0, max: 20_000 })), { maxLength: 5 }),
  });

  test('the estimate is never below what nodemailer writes for an everyday message', async () => {
    await fc.assert(
      fc.asyncProperty(everydayMessage, async (m) => {
        const real = await onTheWire({
          from: { name: m.fromName, address: 'ada.lovelace@example.com' },
          to: m.recipients.map(([name, n]) => ({ name, address: `person.${n}@example.org` })),
          subject: m.subject,
          text: m.text,
          messageId: '<lzx81k2a-0123456789ab@example.com>',
          date: new Date(),
          attachments: m.files.map(([name, bytes]) => ({ filename: `${name}.pdf`, content: Buffer.alloc(bytes, 7) })),
        });
        expect(
          encodedMessageSize(
            m.text,
            m.files.map(([, bytes]) => bytes),
          ),
        ).toBeGreaterThanOrEqual(Buffer.byteLength(real, 'latin1'));
      }),
      { numRuns: 150 },
    );
  });
});

describe('sizes read like a file manager, in binary units as provider limits are', () => {
  test.each([
    [1, '1 byte'],
    [532, '532 bytes'],
    [2048, '2 KB'],
    [1536, '1.5 KB'],
    [4.2 * 1024 * 1024, '4.2 MB'],
    [25 * 1024 * 1024, '25 MB'],
    [3 * 1024 ** 3, '3 GB'],
  ])('%d bytes read %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('splitAddressList', () => {
  test('cuts at commas, semicolons and line breaks, trimming and dropping empty entries', () => {
    expect(splitAddressList('ada@example.com, bob@example.org;carol@example.net\ndan@example.io\r\n\r\n')).toEqual([
      'ada@example.com',
      'bob@example.org',
      'carol@example.net',
      'dan@example.io',
    ]);
  });

  test('respects quotes, escapes inside quotes and angle brackets', () => {
    expect(splitAddressList('a@x, "Doe, J" <j@y>, <odd,one@z>, "esc\\",aped" <e@w>; "semi;colon" <s@v>')).toEqual([
      'a@x',
      '"Doe, J" <j@y>',
      '<odd,one@z>',
      '"esc\\",aped" <e@w>',
      '"semi;colon" <s@v>',
    ]);
  });

  test('keeps each entry as typed, spaces inside included', () => {
    expect(splitAddressList('a@x.org b@y.org, mailto:c@z.org')).toEqual(['a@x.org b@y.org', 'mailto:c@z.org']);
  });
});

test('the limits are one frozen set', () => {
  expect(Object.isFrozen(MESSAGE_LIMITS)).toBe(true);
  expect(MESSAGE_LIMITS).toEqual({
    maxRecipients: 100,
    maxAttachments: 100,
    maxAddressLength: 320,
    maxSubjectLength: 998,
    maxTextLength: 10 * 1024 * 1024,
  });
});

describe("the composer's checks and main's agree", () => {
  const account: Account = {
    id: 'acc-1',
    provider: 'google',
    providerName: 'Google',
    address: 'ada@example.com',
    fromAddress: 'ada@example.com',
    displayName: 'Ada',
    health: 'ready',
    storage: 'vault',
    lastUsedAt: null,
    extraCa: undefined,
  };
  const sending: SendingAccount = {
    id: 'acc-1',
    providerId: 'google',
    login: 'ada@example.com',
    fromAddress: 'ada@example.com',
    displayName: 'Ada',
    smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
    attachmentLimitBytes: 0,
  };
  const dir = tempDataDir('quicksend-rules-');
  let made = 0;
  /** A sparse file of `bytes` (nothing written), as main would find it on disk. */
  async function fileOf(bytes: number): Promise<string> {
    const file = path.join(dir, `f${made++}`);
    const handle = await open(file, 'w');
    await handle.truncate(bytes);
    await handle.close();
    return file;
  }

  /** What main answers for the same message: null when it would queue it, else the refusal's code. */
  async function mainRefusal(
    state: ComposeState & { accountId: string },
    paths: string[],
    limitBytes: number,
  ): Promise<string | null> {
    const { attachments: _ids, ...request } = toSendRequest(state);
    try {
      const message = validateMessage(
        { ...request, attachments: paths.map((file) => ({ path: file })) },
        sending,
        MESSAGE_LIMITS,
      );
      await inspectAttachments(message.attachmentPaths, message.text, {
        maxCount: MESSAGE_LIMITS.maxAttachments,
        limitBytes,
      });
      return null;
    } catch (error) {
      if (error instanceof FieldError) return error.code;
      throw error;
    }
  }

  // Around each limit, so both sides of every boundary come up.
  const recipientCount = fc.oneof(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: MESSAGE_LIMITS.maxRecipients - 1, max: MESSAGE_LIMITS.maxRecipients + 1 }),
  );
  const fileSizes = fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.integer({ min: 0, max: 40 * 1024 * 1024 }), { maxLength: 6 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: MESSAGE_LIMITS.maxAttachments - 1, max: MESSAGE_LIMITS.maxAttachments + 1 })
        .chain((n) => fc.array(fc.integer({ min: 0, max: 4096 }), { minLength: n, maxLength: n })),
    },
  );
  const message = fc.record({
    text: everydayText,
    recipients: recipientCount.chain((n) =>
      fc.array(fc.constantFrom('to', 'cc', 'bcc'), { minLength: n, maxLength: n }),
    ),
    sizes: fileSizes,
    // The account's limit, from just under to just over the message's size.
    slack: fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -200_000, max: 200_000 })),
  });

  test('on random messages and attachment sets: the same ones refused, at the same field', async () => {
    let refusedForSize = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(message, async ({ text, recipients, sizes, slack }) => {
        const field = (name: string) =>
          parseRecipients(recipients.flatMap((f, i) => (f === name ? [`person.${i}@example.org`] : [])).join(', '));
        const state = {
          ...emptyCompose,
          accountId: account.id,
          to: field('to'),
          cc: field('cc'),
          bcc: field('bcc'),
          subject: 'Rules',
          text,
          attachments: sizes.map((sizeBytes, i) => ({
            fileId: `f${String(i).padStart(21, '0')}`,
            name: `f${i}.bin`,
            sizeBytes,
          })),
        };
        const limit = Math.max(1, encodedMessageSize(text, sizes) + slack);
        const composer = validate(state, [account], limit);
        const main = await mainRefusal(state, await Promise.all(sizes.map(fileOf)), limit);
        const expected = composer.to
          ? 'mail.too_many_recipients'
          : composer.attachments?.startsWith('At most')
            ? 'mail.too_many_attachments'
            : composer.attachments
              ? 'mail.message_too_large'
              : null;
        expect(main).toBe(expected);
        expect(Object.keys(composer).filter((key) => key !== 'to' && key !== 'attachments')).toEqual([]);
        if (main === 'mail.message_too_large') refusedForSize += 1;
        if (main === null) accepted += 1;
      }),
      { numRuns: 120 },
    );
    // Both outcomes came up, so the agreement was tested on each side of the size limit.
    expect(refusedForSize).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  }, 60_000);
});
