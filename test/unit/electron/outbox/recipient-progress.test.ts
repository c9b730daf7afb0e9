import { describe, expect, it } from 'vitest';
import {
  afterTransaction,
  noProgress,
  pendingRecipients,
  recipientsError,
  refuseAll,
  retryRefused,
} from '../../../../electron/outbox/recipient-progress';

const ALL = ['ada@example.org', 'bob@example.org', 'carol@example.org'];
const unknown = { address: 'bob@example.org', reply: '550 5.1.1 User unknown', replyCode: 550 };
const grey = { address: 'carol@example.org', reply: '450 4.2.0 Greylisted', replyCode: 450 };

describe('recipient progress', () => {
  it('counts accepted as delivered, 5xx as refused and 4xx as still to send', () => {
    const after = afterTransaction(noProgress, ['ada@example.org'], [unknown, grey]);
    expect(after).toEqual({
      delivered: ['ada@example.org'],
      refused: [{ address: 'bob@example.org', reply: '550 5.1.1 User unknown' }],
      deferred: [{ address: 'carol@example.org', reply: '450 4.2.0 Greylisted' }],
    });
    expect(pendingRecipients(ALL, after)).toEqual(['carol@example.org']);
  });

  it('a follow-up that takes the deferred recipient leaves nobody pending and keeps the refusal', () => {
    const first = afterTransaction(noProgress, ['ada@example.org'], [unknown, grey]);
    const second = afterTransaction(first, ['carol@example.org'], []);
    expect(second).toEqual({
      delivered: ['ada@example.org', 'carol@example.org'],
      refused: [{ address: 'bob@example.org', reply: '550 5.1.1 User unknown' }],
      deferred: [],
    });
    expect(pendingRecipients(ALL, second)).toEqual([]);
  });

  it('a deferred recipient refused later moves from deferred to refused, with the new reply', () => {
    const first = afterTransaction(noProgress, ['ada@example.org'], [grey]);
    const later = afterTransaction(first, [], [{ ...grey, reply: '550 5.1.1 Gone', replyCode: 550 }]);
    expect(later.deferred).toEqual([]);
    expect(later.refused).toEqual([{ address: 'carol@example.org', reply: '550 5.1.1 Gone' }]);
  });

  it('refuseAll ends the rest with one reason; retryRefused sends to them again but never to the delivered', () => {
    const first = afterTransaction(noProgress, ['ada@example.org'], [grey]);
    const ended = refuseAll(
      first,
      ['bob@example.org', 'carol@example.org'],
      'The message is larger than the server accepts.',
    );
    expect(pendingRecipients(ALL, ended)).toEqual([]);
    expect(ended.deferred).toEqual([]);
    expect(pendingRecipients(ALL, retryRefused(ended))).toEqual(['bob@example.org', 'carol@example.org']);
  });

  it('says in plain words who got it and who did not, with the server reply', () => {
    const partial = afterTransaction(noProgress, ['ada@example.org', 'carol@example.org'], [unknown]);
    expect(recipientsError(partial, 3)).toEqual({
      code: 'smtp.recipients_refused',
      message: 'Sent to 2 of 3 recipients. Not delivered to bob@example.org: the server said "550 5.1.1 User unknown".',
      hint: 'Check the address for typos, then choose "Write again" to send it to a corrected address.',
    });
    const all = afterTransaction(noProgress, [], [unknown]);
    expect(recipientsError(all, 1)?.message).toBe(
      'Not delivered to bob@example.org: the server said "550 5.1.1 User unknown".',
    );
    const waiting = afterTransaction(noProgress, ['ada@example.org'], [unknown, grey]);
    expect(recipientsError(waiting, 3)).toMatchObject({
      code: 'smtp.recipients_deferred',
      message:
        'Sent to 1 of 3 recipients so far. The server put off carol@example.org for now: "450 4.2.0 Greylisted". Not delivered to bob@example.org: the server said "550 5.1.1 User unknown".',
    });
    expect(recipientsError(afterTransaction(noProgress, ALL, []), 3)).toBeNull();
  });

  it('names three refused recipients and counts the rest', () => {
    const many = afterTransaction(
      noProgress,
      [],
      ['a', 'b', 'c', 'd', 'e'].map((n) => ({
        address: `${n}@example.org`,
        reply: '550 5.1.1 User unknown',
        replyCode: 550,
      })),
    );
    const message = recipientsError(many, 5)?.message ?? '';
    expect(message.match(/Not delivered to/g)).toHaveLength(3);
    expect(message).toContain('2 more recipients were not delivered either (see the Outbox).');
  });
});
