import { expect, test } from 'vitest';
import {
  addRecipients,
  cleanAddress,
  cleanMultiLine,
  cleanSingleLine,
  PREFILL_LIMITS,
} from '../../../../electron/shell/compose-prefill';
import { MESSAGE_LIMITS } from '../../../../electron/mail/message-rules';

test('addRecipients cuts the list like the composer: quotes, escapes, angle brackets, semicolons', () => {
  const list: string[] = [];
  addRecipients(list, 'a@x.example, "Doe, J" <j@y.example>; "esc\\",aped" <e@w.example>, <odd,one@z.example>');
  expect(list).toEqual(['a@x.example', '"Doe, J" <j@y.example>', '"esc\\",aped" <e@w.example>', '<odd,one@z.example>']);
});

test('an entry mail:send can read arrives as main writes it; one it cannot, as typed', () => {
  const list: string[] = [];
  addRecipients(list, '"Ada" <ada@example.com>, bob@localhost, ann@example.org carl@example.org');
  expect(list).toEqual(['Ada <ada@example.com>', 'bob@localhost', 'ann@example.org carl@example.org']);
});

test('a control character drops its own entry only, and a line break is no separator', () => {
  const list: string[] = [];
  addRecipients(list, 'good@x.example, bad@x.example\r\nBcc: evil@x.example, odd\uD800@x.example, ok@x.example');
  expect(list).toEqual(['good@x.example', 'ok@x.example']);
});

test('cleanAddress', () => {
  expect(cleanAddress('  Ada <ada@example.com> ')).toBe('Ada <ada@example.com>');
  for (const bad of ['', '   ', 'nobody', 'a@b\r\n', 'a\u0085@b', 'a\u009b@b', 'x'.repeat(321) + '@b'])
    expect(cleanAddress(bad)).toBeNull();
});

test('single and multi-line cleaning', () => {
  expect(cleanSingleLine(' a\tb\r\nc\u0000 ', 10)).toBe('a b c');
  expect(cleanMultiLine('a\r\nb\rc\u2028d\u0000', 100)).toBe('a\nb\nc\nd');
});

test('addRecipients de-duplicates by address and stops at the limit', () => {
  const list: string[] = [];
  addRecipients(list, 'A@x.example, a@x.example, b@x.example');
  addRecipients(list, 'Bea <B@x.example>, c@x.example');
  expect(list).toEqual(['A@x.example', 'b@x.example', 'c@x.example']);
  const many: string[] = [];
  addRecipients(many, Array.from({ length: 150 }, (_, i) => `u${i}@x.example`).join(','));
  expect(many).toHaveLength(PREFILL_LIMITS.recipientsPerField);
});

test('the prefill limits are the message limits', () => {
  expect(PREFILL_LIMITS).toMatchObject({
    recipientsPerField: MESSAGE_LIMITS.maxRecipients,
    addressLength: MESSAGE_LIMITS.maxAddressLength,
    subjectLength: MESSAGE_LIMITS.maxSubjectLength,
    textLength: MESSAGE_LIMITS.maxTextLength,
    attachments: MESSAGE_LIMITS.maxAttachments,
  });
});
