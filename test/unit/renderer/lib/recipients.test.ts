import { describe, expect, test } from 'vitest';
import {
  formatRecipient,
  isValidAddress,
  mergeRecipients,
  parseRecipients,
  recipientsFromStrings,
  suggestAddresses,
} from '../../../../renderer/src/lib/recipients';

describe('recipient parsing', () => {
  test('one address', () => {
    expect(parseRecipients(' ada@example.com ')).toEqual([{ address: 'ada@example.com', valid: true }]);
  });

  test('a pasted list separated by commas, semicolons and new lines', () => {
    const list = parseRecipients('ada@example.com, bob@example.org;carol@example.net\ndan@example.io\r\n\r\n');
    expect(list.map((r) => r.address)).toEqual([
      'ada@example.com',
      'bob@example.org',
      'carol@example.net',
      'dan@example.io',
    ]);
    expect(list.every((r) => r.valid)).toBe(true);
  });

  test('a spreadsheet column pasted with spaces or tabs', () => {
    expect(parseRecipients('ada@example.com\tbob@example.org  carol@example.net').map((r) => r.address)).toEqual([
      'ada@example.com',
      'bob@example.org',
      'carol@example.net',
    ]);
  });

  test('display names, quoted names with commas, and mailto:', () => {
    expect(
      parseRecipients('Ada Lovelace <ada@example.com>, "Hopper, Grace" <grace@example.org>, mailto:bob@example.com'),
    ).toEqual([
      { address: 'ada@example.com', name: 'Ada Lovelace', valid: true },
      { address: 'grace@example.org', name: 'Hopper, Grace', valid: true },
      { address: 'bob@example.com', valid: true },
    ]);
  });

  test('invalid entries are kept and marked, never dropped', () => {
    expect(parseRecipients('ada@example, bob, @x.org, carol@example.com')).toEqual([
      { address: 'ada@example', valid: false },
      { address: 'bob', valid: false },
      { address: '@x.org', valid: false },
      { address: 'carol@example.com', valid: true },
    ]);
  });

  test('duplicates (any case) are dropped, the first one wins', () => {
    expect(parseRecipients('Ada <ada@example.com>, ADA@example.com').map((r) => r.address)).toEqual([
      'ada@example.com',
    ]);
    expect(
      mergeRecipients(parseRecipients('a@x.org'), parseRecipients('A@X.org, b@x.org')).map((r) => r.address),
    ).toEqual(['a@x.org', 'b@x.org']);
  });

  test('internationalised addresses pass the loose check; main validates properly', () => {
    expect(isValidAddress('jörg@bücher.de')).toBe(true);
    expect(isValidAddress('a..b@example.com')).toBe(false);
    expect(isValidAddress(`${'a'.repeat(320)}@x.org`)).toBe(false);
  });

  test('formatting round-trips, quoting names that need it', () => {
    const list = parseRecipients('"Hopper, Grace" <grace@example.org>, Ada <ada@example.com>, bob@example.com');
    const strings = list.map(formatRecipient);
    expect(strings).toEqual(['"Hopper, Grace" <grace@example.org>', 'Ada <ada@example.com>', 'bob@example.com']);
    expect(recipientsFromStrings(strings)).toEqual(list);
  });

  test('suggestions: most used first, by address or name prefix, minus those already chosen', () => {
    const known = [
      'bob@example.com',
      'Bob Builder <bob@example.com>',
      'bella@example.org',
      'carol@example.net',
      'not valid',
    ];
    expect(suggestAddresses(known, 'b', [])).toEqual(['Bob Builder <bob@example.com>', 'bella@example.org']);
    expect(suggestAddresses(known, 'builder', [])).toEqual(['Bob Builder <bob@example.com>']);
    expect(suggestAddresses(known, 'b', parseRecipients('bob@example.com'))).toEqual(['bella@example.org']);
    expect(suggestAddresses(known, '', [])).toEqual([]);
  });
});
