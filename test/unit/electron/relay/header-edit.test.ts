import { describe, expect, test } from 'vitest';
import { editHeaderBlock, formatDate, headerEnd, type HeaderEditOptions } from '../../../../electron/relay/header-edit';

const options: HeaderEditOptions = {
  now: new Date(Date.UTC(2026, 11, 3, 14, 15, 18)),
  messageIdDomain: 'example.com',
  messageIdLocal: 'abc123',
  defaultFrom: { address: 'ada@example.com', displayName: 'Ada Lovelace' },
};
const edit = (head: string, extra: Partial<HeaderEditOptions> = {}) => {
  const result = editHeaderBlock(Buffer.from(head, 'utf8'), { ...options, ...extra });
  return { ...result, text: result.head.toString('utf8') };
};

describe('headerEnd', () => {
  test('finds the blank line with CRLF and with bare LF line ends', () => {
    expect(headerEnd(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody'))).toBe(14);
    expect(headerEnd(Buffer.from('A: 1\nB: 2\n\nbody'))).toBe(11);
    expect(headerEnd(Buffer.from('\r\nbody'))).toBe(2);
    expect(headerEnd(Buffer.from('A: 1\r\nB: 2\r\n'))).toBe(-1);
    expect(headerEnd(Buffer.from('A: 1\r\n\r'))).toBe(-1);
  });

  test('resumes a search across chunks without missing a blank line split between them', () => {
    const whole = Buffer.from('Subject: x\r\n\r\nbody');
    for (let cut = 1; cut < whole.length; cut++) {
      const first = whole.subarray(0, cut);
      const found = headerEnd(first);
      const end = found >= 0 ? found : headerEnd(whole, cut);
      expect(end, `cut at ${cut}`).toBe(14);
    }
  });
});

describe('editHeaderBlock (RFC 6409 section 8)', () => {
  test('removes every Bcc field, folded lines included, and nothing else', () => {
    const result = edit(
      'From: ada@example.com\r\nBcc: secret@example.org,\r\n  other@example.org\r\nTo: bob@example.org\r\nbcc: third@example.org\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <x@y>\r\n\r\n',
    );
    expect(result.text).toBe(
      'From: ada@example.com\r\nTo: bob@example.org\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <x@y>\r\n\r\n',
    );
    expect(result.removed.bcc).toBe(2);
    expect(result.added).toEqual({ date: false, messageId: false, from: false });
  });

  test('adds Date and Message-ID when missing, at the end of the header block, in its line-end style', () => {
    const crlf = edit('From: ada@example.com\r\nSubject: Hi\r\n\r\n');
    expect(crlf.text).toBe(
      `From: ada@example.com\r\nSubject: Hi\r\nDate: Thu, 03 Dec 2026 14:15:18 +0000\r\nMessage-ID: <abc123@example.com>\r\n\r\n`,
    );
    const lf = edit('From: ada@example.com\nSubject: Hi\n\n');
    expect(lf.text).toBe(
      `From: ada@example.com\nSubject: Hi\nDate: Thu, 03 Dec 2026 14:15:18 +0000\nMessage-ID: <abc123@example.com>\n\n`,
    );
    expect(formatDate(options.now)).toBe('Thu, 03 Dec 2026 14:15:18 +0000');
  });

  test('keeps Date and Message-ID the client set, whatever their case', () => {
    const result = edit(
      'FROM: ada@example.com\r\nDATE: Mon, 1 Jan 2024 00:00:00 +0100\r\nmessage-id: <keep@me>\r\n\r\n',
    );
    expect(result.added).toEqual({ date: false, messageId: false, from: false });
    expect(result.text).toBe(
      'FROM: ada@example.com\r\nDATE: Mon, 1 Jan 2024 00:00:00 +0100\r\nmessage-id: <keep@me>\r\n\r\n',
    );
  });

  test('reads every From address, folded and with display names', () => {
    const result = edit(
      'From: "Lovelace, Ada" <Ada@Example.com>,\r\n  Grace <grace@example.org>\r\nDate: x\r\nMessage-ID: <y>\r\n\r\n',
    );
    expect(result.from).toEqual(['Ada@Example.com', 'grace@example.org']);
  });

  test('rewrites From when asked, keeping the program’s display name, and leaves other fields alone', () => {
    const result = edit(
      'Subject: Report\r\nFrom: Backup Script <root@host.local>\r\nX-Mailer: cron\r\nDate: x\r\nMessage-ID: <y>\r\n\r\n',
      { rewriteFrom: { address: 'ada@example.com', displayName: 'Ada Lovelace' } },
    );
    expect(result.text).toBe(
      'Subject: Report\r\nFrom: Backup Script <ada@example.com>\r\nX-Mailer: cron\r\nDate: x\r\nMessage-ID: <y>\r\n\r\n',
    );
    expect(result.rewroteFrom).toBe(true);
    expect(result.from).toEqual(['ada@example.com']);
  });

  test('a rewritten From with no display name uses the account’s, encoded when not ASCII', () => {
    const plain = edit('From: root@host\r\nDate: x\r\nMessage-ID: <y>\r\n\r\n', {
      rewriteFrom: { address: 'ada@example.com', displayName: 'Ada Lovelace' },
    });
    expect(plain.text.split('\r\n')[0]).toBe('From: Ada Lovelace <ada@example.com>');
    const accented = edit('From: root@host\r\nDate: x\r\nMessage-ID: <y>\r\n\r\n', {
      rewriteFrom: { address: 'ada@example.com', displayName: 'Zoë' },
    });
    expect(accented.text.split('\r\n')[0]).toMatch(/^From: =\?UTF-8\?Q\?Zo=C3=AB\?= <ada@example.com>$/);
  });

  test('adds a From from the account when the message has none', () => {
    const result = edit('Subject: x\r\n\r\n');
    expect(result.text.startsWith('From: Ada Lovelace <ada@example.com>\r\nSubject: x\r\n')).toBe(true);
    expect(result.added.from).toBe(true);
    expect(result.from).toEqual(['ada@example.com']);
  });

  test('a message that is all header (no blank line) gets its additions after a line end', () => {
    const result = edit('From: ada@example.com\r\nSubject: x');
    expect(result.text).toBe(
      'From: ada@example.com\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 14:15:18 +0000\r\nMessage-ID: <abc123@example.com>\r\n',
    );
  });

  test('8-bit header bytes that are not edited pass through byte for byte', () => {
    const raw = Buffer.concat([
      Buffer.from('From: ada@example.com\r\nSubject: '),
      Buffer.from([0xe9, 0xff, 0x80]),
      Buffer.from('\r\nDate: x\r\nMessage-ID: <y>\r\n\r\n'),
    ]);
    expect(editHeaderBlock(raw, options).head.equals(raw)).toBe(true);
  });
});
