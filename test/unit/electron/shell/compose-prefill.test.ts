import { expect, test } from 'vitest';
import { addRecipients, cleanAddress, cleanMultiLine, cleanSingleLine, splitAddressList } from '../../../../electron/shell/compose-prefill';

test('splitAddressList respects quotes, escapes and angle brackets', () => {
  expect(splitAddressList('a@x, "Doe, J" <j@y>, <odd,one@z>, "esc\\",aped" <e@w>')).toEqual(['a@x', ' "Doe, J" <j@y>', ' <odd,one@z>', ' "esc\\",aped" <e@w>']);
});

test('cleanAddress', () => {
  expect(cleanAddress('  Ada <ada@example.com> ')).toBe('Ada <ada@example.com>');
  for (const bad of ['', '   ', 'nobody', 'a@b\r\n', 'a\u0085@b', 'a\u009b@b', 'x'.repeat(321) + '@b']) expect(cleanAddress(bad)).toBeNull();
});

test('single and multi-line cleaning', () => {
  expect(cleanSingleLine(' a\tb\r\nc\u0000 ', 10)).toBe('a b c');
  expect(cleanMultiLine('a\r\nb\rc\u2028d\u0000', 100)).toBe('a\nb\nc\nd');
});

test('addRecipients de-duplicates and stops at the limit', () => {
  const list: string[] = [];
  addRecipients(list, 'A@x.example, a@x.example, b@x.example');
  expect(list).toEqual(['A@x.example', 'b@x.example']);
});
