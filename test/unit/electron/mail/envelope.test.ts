import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import {
  envelopeAddress,
  envelopeRecipients,
  isFinalRefusal,
  onlyRecipients,
  rejectedRecipients,
} from '../../../../electron/mail/envelope';

const box = (address: string, name = '') => ({ name, address });

describe('envelope recipients', () => {
  it('are what nodemailer itself puts in RCPT TO: IDN domains in punycode, domains lower case, once each', async () => {
    const message = {
      to: [box('Bob@Example.ORG', 'Bob'), box('joerg@bücher.de')],
      cc: [box('bob@example.org')],
      bcc: [box('jörg@bücher.de'), box('Bob@example.org')],
    };
    const ours = envelopeRecipients(message);
    // nodemailer's own envelope for the same headers, built by its mail composer
    const info = await nodemailer
      .createTransport({ streamTransport: true })
      .sendMail({ from: 'me@example.com', ...message });
    expect(ours).toEqual(info.envelope.to);
    expect(ours).toEqual(['Bob@example.org', 'joerg@xn--bcher-kva.de', 'bob@example.org', 'jörg@bücher.de']);
    expect(envelopeAddress('Bob@Example.ORG')).toBe('Bob@example.org');
  });

  it('cut a message down to the mailboxes left, keeping names and fields', () => {
    const message = {
      to: [box('ada@example.org', 'Ada'), box('bob@example.org', 'Bob')],
      cc: [box('carol@bücher.de')],
      bcc: [box('dan@example.org')],
    };
    expect(onlyRecipients(message, new Set(['bob@example.org', 'carol@xn--bcher-kva.de']))).toEqual({
      to: [box('bob@example.org', 'Bob')],
      cc: [box('carol@bücher.de')],
      bcc: [],
    });
  });
});

describe('rejectedRecipients', () => {
  it('reads nodemailer rejectedErrors: address, first reply line, reply code', () => {
    const info = {
      accepted: ['ada@example.org'],
      rejectedErrors: [
        {
          recipient: 'bob@example.org',
          response: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown\r\n550 more',
          responseCode: 550,
        },
        { recipient: 'carol@example.org', response: '452 4.5.3 Error: too many recipients', responseCode: 452 },
        { recipient: 'dan@example.org', message: 'Recipient command failed' },
        { notARecipient: true },
      ],
    };
    expect(rejectedRecipients(info)).toEqual([
      {
        address: 'bob@example.org',
        reply: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown',
        replyCode: 550,
      },
      { address: 'carol@example.org', reply: '452 4.5.3 Error: too many recipients', replyCode: 452 },
      { address: 'dan@example.org', reply: 'Recipient command failed', replyCode: null },
    ]);
    expect(rejectedRecipients(new Error('ECONNRESET'))).toEqual([]);
    expect(rejectedRecipients(null)).toEqual([]);
  });

  it('counts only 5xx as refused for good; 4xx and no code at all put a recipient off', () => {
    expect([550, 554, 553, 450, 451, 452, null].map((replyCode) => isFinalRefusal({ replyCode }))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
