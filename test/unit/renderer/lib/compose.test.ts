import { describe, expect, test } from 'vitest';
import {
  addAttachments,
  emptyCompose,
  fromDraft,
  isEmpty,
  pickAccount,
  toDraft,
  toSendRequest,
  validate,
  type ComposeState,
} from '../../../../renderer/src/lib/compose';
import { parseRecipients } from '../../../../renderer/src/lib/recipients';
import { account } from '../../../fakes/fake-api';

const ada = account();
const ready: ComposeState = {
  ...emptyCompose,
  accountId: ada.id,
  to: parseRecipients('bob@example.com'),
  subject: 'Hi',
  text: 'Hello',
};

describe('composer rules', () => {
  test('a complete message has no errors', () => {
    expect(validate(ready, [ada], 25 * 1024 * 1024)).toEqual({});
  });

  test('no account, no recipient, and invalid addresses are reported per field', () => {
    expect(validate({ ...emptyCompose }, [], null)).toEqual({
      from: 'Add an account before sending.',
      to: 'Add at least one recipient.',
    });
    const errors = validate(
      { ...ready, to: parseRecipients('bob, carol@example.com'), bcc: parseRecipients('x@, y@') },
      [ada],
      null,
    );
    expect(errors.to).toBe('“bob” is not an email address.');
    expect(errors.bcc).toBe('These are not email addresses: x@, y@.');
    expect(validate({ ...ready, accountId: 'gone' }, [ada], null).from).toBe('Choose the account to send from.');
  });

  test('Cc or Bcc alone is enough', () => {
    expect(validate({ ...ready, to: [], bcc: parseRecipients('list@example.com') }, [ada], null)).toEqual({});
  });

  test('the message limits main applies: 100 recipients in all and 100 files pass, one more does not', () => {
    const people = (n: number, who: string) =>
      parseRecipients(Array.from({ length: n }, (_, i) => `${who}${i}@example.org`).join(','));
    const files = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ fileId: `f${String(i).padStart(21, '0')}`, name: `f${i}`, sizeBytes: 1 }));
    expect(validate({ ...ready, to: people(60, 'to'), cc: people(40, 'cc') }, [ada], null)).toEqual({});
    expect(validate({ ...ready, to: people(60, 'to'), bcc: people(41, 'bcc') }, [ada], null).to).toBe(
      'That is more than 100 recipients; split the message.',
    );
    expect(validate({ ...ready, attachments: files(100) }, [ada], null)).toEqual({});
    expect(validate({ ...ready, attachments: files(101) }, [ada], null).attachments).toBe(
      'At most 100 files can be attached.',
    );
  });

  test('too large once encoded is an attachments error that names both sizes', () => {
    const big = {
      ...ready,
      attachments: [{ fileId: 'aaaaaaaaaaaaaaaaaaaaaa', name: 'a.bin', sizeBytes: 19 * 1024 * 1024 }],
    };
    expect(validate(big, [ada], 25 * 1024 * 1024).attachments).toMatch(
      /Too large to send: about 26 MB once encoded, and this account allows 25 MB/,
    );
    expect(validate(big, [ada], null).attachments).toBeUndefined();
  });

  test('drafts round-trip, and emptiness ignores whitespace', () => {
    const state = {
      ...ready,
      cc: parseRecipients('"Hopper, Grace" <grace@example.org>'),
      attachments: [{ fileId: 'xxxxxxxxxxxxxxxxxxxxxx', name: 'x.pdf', sizeBytes: 3 }],
    };
    expect(fromDraft(toDraft(state))).toEqual(state);
    expect(isEmpty({ ...emptyCompose, accountId: 'a', subject: '  ', text: '\n' })).toBe(true);
    expect(isEmpty(ready)).toBe(false);
  });

  test('the send request is the draft of the same message, with files by id only', () => {
    const state = {
      ...ready,
      cc: parseRecipients('"Hopper, Grace" <grace@example.org>'),
      attachments: [{ fileId: 'xxxxxxxxxxxxxxxxxxxxxx', name: 'x.pdf', sizeBytes: 3 }],
    };
    const { attachments: _named, ...fields } = toDraft(state);
    expect(toSendRequest({ ...state, accountId: ada.id })).toEqual({
      ...fields,
      accountId: ada.id,
      attachments: [{ fileId: 'xxxxxxxxxxxxxxxxxxxxxx' }],
    });
    expect(toSendRequest({ ...state, accountId: ada.id }).cc).toEqual(['"Hopper, Grace" <grace@example.org>']);
  });

  test('the same file is attached once', () => {
    const a = { fileId: 'aaaaaaaaaaaaaaaaaaaaaa', name: 'a', sizeBytes: 1 };
    expect(
      addAttachments([a], [a, { fileId: 'bbbbbbbbbbbbbbbbbbbbbb', name: 'b', sizeBytes: 2 }]).map((f) => f.fileId),
    ).toEqual(['aaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbb']);
  });

  test('From: keeps a valid choice, else the default account, else the first', () => {
    const b = account({ id: 'b' });
    expect(pickAccount('b', [ada, b], ada.id)).toBe('b');
    expect(pickAccount('gone', [ada, b], 'b')).toBe('b');
    expect(pickAccount(null, [ada, b], 'gone')).toBe(ada.id);
    expect(pickAccount(null, [], null)).toBeNull();
  });
});
