import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SendingAccount } from '../../../../electron/accounts/sending-account';
import {
  FieldError,
  mailOptions,
  messageIdFor,
  recipientsOf,
  validateMessage,
  subjectForWire,
  type MessageFields,
} from '../../../../electron/mail/message';

const account: SendingAccount = {
  id: 'acc-1',
  providerId: 'sandbox',
  login: 'demo@quicksend.test',
  fromAddress: 'demo@quicksend.test',
  displayName: 'Démo Üser',
  smtp: { host: '127.0.0.1', port: 587, security: 'starttls' },
  attachmentLimitBytes: 25 * 1024 * 1024,
};
const limits = { maxRecipients: 100 };
const input = (over: Partial<MessageFields> = {}): MessageFields => ({
  accountId: 'acc-1',
  to: ['a@example.com'],
  subject: 'Hi',
  text: 'Body',
  ...over,
});

function refusal(over: Partial<MessageFields>, acc: SendingAccount = account): FieldError {
  try {
    validateMessage(input(over), acc, limits);
  } catch (error) {
    if (error instanceof FieldError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('validateMessage', () => {
  it('accepts display names, quoted names with commas, and internationalized addresses', () => {
    const message = validateMessage(
      input({
        to: ['Jörg Müller <jörg@bücher.de>', '"Smith, John" <john@example.com>'],
        cc: ['用户@例子.广告'],
        bcc: ['<b@example.org>'],
      }),
      account,
      limits,
    );
    expect(message.to).toEqual([
      { name: 'Jörg Müller', address: 'jörg@bücher.de' },
      { name: 'Smith, John', address: 'john@example.com' },
    ]);
    expect(message.cc).toEqual([{ name: '', address: '用户@例子.广告' }]);
    expect(message.bcc).toEqual([{ name: '', address: 'b@example.org' }]);
    expect(message.from).toEqual({ name: 'Démo Üser', address: 'demo@quicksend.test' });
    expect(recipientsOf(message)).toEqual([
      'Jörg Müller <jörg@bücher.de>',
      '"Smith, John" <john@example.com>',
      '用户@例子.广告',
      'b@example.org',
    ]);
  });

  it.each([
    ['subject', { subject: 'Hi\r\nBcc: victim@example.com' }, 'subject'],
    ['a To entry', { to: ['a@example.com', 'b@example.com\nBcc: x@example.com'] }, 'to[1]'],
    ['a Cc entry (lone CR)', { cc: ['c@example.com\r'] }, 'cc[0]'],
    ['a Bcc entry (NUL)', { bcc: ['d@exam\u0000ple.com'] }, 'bcc[0]'],
    ['an attachment path', { attachments: [{ path: '/tmp/a\nb' }] }, 'attachments[0]'],
  ])('refuses a line break in %s, naming the field', (_what, over, field) => {
    const error = refusal(over);
    expect(error.code).toBe('mail.line_break_in_header');
    expect(error.field).toBe(field);
  });

  it('refuses a line break in the account display name (From)', () => {
    const error = refusal({}, { ...account, displayName: 'Evil\r\nBcc: x@example.com' });
    expect([error.code, error.field]).toEqual(['mail.line_break_in_header', 'from']);
  });

  it.each([
    ['no @', 'not-an-address'],
    ['a single-label domain', 'user@localhost'],
    ['a numeric TLD', 'user@example.123'],
    ['two @', 'a@@example.com'],
    ['two addresses in one entry', 'a@example.com, b@example.com'],
    ['an address group', 'friends: a@example.com;'],
    ['text after the brackets', 'Name <a@example.com> trailing'],
    ['a space before the address', 'a b@example.com'],
    ['a label starting with a hyphen', 'a@-example.com'],
    ['an address literal', 'a@[127.0.0.1]'],
    ['a 65-octet local part', `${'x'.repeat(65)}@example.com`],
  ])('refuses %s, naming the entry', (_what, bad) => {
    const error = refusal({ to: ['ok@example.com', bad] });
    expect([error.code, error.field]).toEqual(['mail.invalid_address', 'to[1]']);
    expect(error.message).toContain('To');
  });

  it('refuses a message without recipients and one with too many', () => {
    expect(refusal({ to: [] }).code).toBe('mail.no_recipients');
    const many = Array.from({ length: 101 }, (_, i) => `r${i}@example.com`);
    expect(refusal({ to: many }).code).toBe('mail.too_many_recipients');
  });
});

describe('mailOptions', () => {
  it('keeps Message-ID and Date fixed, never fetches URLs, and names attachments', () => {
    const message = validateMessage(input({ bcc: ['hidden@example.com'] }), account, limits);
    const content = Readable.from([Buffer.from('pdf')]);
    const options = mailOptions(message, {
      messageId: messageIdFor('abc', message.from),
      date: new Date(0),
      attachments: [{ filename: 'a.pdf', content }],
    });
    expect(options).toMatchObject({
      messageId: '<abc@quicksend.test>',
      date: new Date(0),
      disableUrlAccess: true,
      attachments: [{ filename: 'a.pdf', content }],
    });
  });

  it('puts an IDN sender domain into the Message-ID in punycode', () => {
    expect(messageIdFor('abc', { name: '', address: 'jörg@bücher.de' })).toBe('<abc@xn--bcher-kva.de>');
  });
});

describe('subjectForWire', () => {
  it('an ordinary subject goes as it is; one that cannot fold goes as short encoded words', () => {
    expect(subjectForWire('Lunch on Friday? https://example.org/a/fairly/long/link')).toBe(
      'Lunch on Friday? https://example.org/a/fairly/long/link',
    );
    const encoded = subjectForWire('s'.repeat(998));
    expect(encoded).toMatch(/^=\?UTF-8\?Q\?s+\?=( =\?UTF-8\?Q\?s+\?=)+$/);
    expect(Math.max(...encoded.split(' ').map((w) => w.length))).toBeLessThanOrEqual(76);
  });
});
