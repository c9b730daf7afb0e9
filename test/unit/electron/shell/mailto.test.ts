import { describe, expect, test } from 'vitest';
import { PREFILL_LIMITS } from '../../../../electron/shell/compose-prefill';
import { isMailtoUrl, MAX_MAILTO_LENGTH, parseMailto } from '../../../../electron/shell/mailto';

describe('parseMailto: RFC 6068', () => {
  test('a plain address', () => {
    expect(parseMailto('mailto:chris@example.com')).toEqual({
      to: ['chris@example.com'],
      cc: [],
      bcc: [],
      subject: '',
      text: '',
      attachmentPaths: [],
    });
  });

  test('several recipients in the to-part and in to= fields, de-duplicated case-insensitively', () => {
    const p = parseMailto('mailto:a@example.com,b@example.com?to=c@example.com&to=A@example.com,d@example.com')!;
    expect(p.to).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
  });

  test('subject, body, cc and bcc (RFC 6068 section 6 examples)', () => {
    const p = parseMailto(
      'mailto:joe@example.com?cc=bob@example.com&bcc=hid@example.com&subject=hello%20there&body=line%201%0D%0Aline%202',
    )!;
    expect(p).toMatchObject({
      to: ['joe@example.com'],
      cc: ['bob@example.com'],
      bcc: ['hid@example.com'],
      subject: 'hello there',
      text: 'line 1\nline 2',
    });
  });

  test('an empty to-part with recipients in fields', () => {
    expect(parseMailto('mailto:?to=joe@example.com&subject=x')!.to).toEqual(['joe@example.com']);
  });

  test('header names are case-insensitive, the scheme too', () => {
    const p = parseMailto('MAILTO:a@example.com?SUBJECT=Hi&Cc=b@example.com&BODY=x')!;
    expect(p).toMatchObject({ subject: 'Hi', cc: ['b@example.com'], text: 'x' });
  });

  test('percent-encoded UTF-8 and IRI characters', () => {
    const p = parseMailto('mailto:user@%E2%82%AC.example?subject=caf%C3%A9%20%E2%98%95&body=Gr%C3%BC%C3%9Fe')!;
    expect(p.to).toEqual(['user@€.example']);
    expect(p.subject).toBe('café ☕');
    expect(p.text).toBe('Grüße');
    expect(parseMailto('mailto:a@example.com?subject=日本語')!.subject).toBe('日本語');
  });

  test('"+" is a literal plus, not a space (RFC 6068 section 5)', () => {
    const p = parseMailto('mailto:a+tag@example.com?subject=1+1')!;
    expect(p.to).toEqual(['a+tag@example.com']);
    expect(p.subject).toBe('1+1');
  });

  test('encoded commas inside a quoted local part stay one address', () => {
    expect(parseMailto('mailto:%22a%2Cb%22@example.com')!.to).toEqual(['"a,b"@example.com']);
  });

  test('the first subject and body win', () => {
    const p = parseMailto('mailto:a@example.com?subject=first&subject=second&body=one&body=two')!;
    expect(p).toMatchObject({ subject: 'first', text: 'one' });
  });

  test('a fragment is dropped', () => {
    expect(parseMailto('mailto:a@example.com?subject=hi#frag')!.subject).toBe('hi');
  });
});

describe('parseMailto: ignored fields', () => {
  test.each([
    'attach',
    'attachment',
    'Attach',
    'ATTACHMENT',
    '%61ttach',
    'from',
    'in-reply-to',
    'x-mailer',
    'reply-to',
    'sender',
    'references',
  ])('%s is ignored', (name) => {
    const p = parseMailto(`mailto:a@example.com?${name}=/etc/passwd&subject=s`)!;
    expect(p.attachmentPaths).toEqual([]);
    expect(JSON.stringify(p)).not.toContain('passwd');
    expect(p.subject).toBe('s');
  });

  test('file URLs and Windows paths in attach fields are ignored as well', () => {
    const p = parseMailto(
      'mailto:a@example.com?attach=file:///C:/Users/me/secret.txt&attachment=%5C%5Cserver%5Cshare%5Cx',
    )!;
    expect(p.attachmentPaths).toEqual([]);
    expect(JSON.stringify(p)).not.toMatch(/secret|server/);
  });

  test('fields without a value or name are skipped', () => {
    expect(parseMailto('mailto:a@example.com?subject&=x&&body=b')).toMatchObject({ subject: '', text: 'b' });
  });
});

describe('parseMailto: hostile input', () => {
  test('CR/LF in the subject cannot add headers: it becomes one line', () => {
    const p = parseMailto('mailto:a@example.com?subject=Hi%0D%0ABcc:%20victim@evil.example%0D%0A%0D%0Abody')!;
    expect(p.subject).toBe('Hi Bcc: victim@evil.example  body');
    expect(p.subject).not.toMatch(/[\r\n]/);
    expect(p.bcc).toEqual([]);
  });

  test('Unicode line separators and NEL in the subject become spaces too', () => {
    expect(parseMailto('mailto:a@example.com?subject=a%E2%80%A8b%E2%80%A9c%C2%85d')!.subject).toBe('a b c d');
  });

  test('an address with CR/LF, NUL or other controls is dropped, not mended', () => {
    const p = parseMailto(
      'mailto:good@example.com,bad@example.com%0D%0ABcc:x@evil.example,nul%00@example.com,tab%09x@example.com',
    )!;
    expect(p.to).toEqual(['good@example.com']);
  });

  test('bidi overrides and zero-width characters are removed from addresses', () => {
    expect(parseMailto('mailto:a%E2%80%AEmoc.evil@example.com,b%E2%80%8B@example.com')!.to).toEqual([
      'amoc.evil@example.com',
      'b@example.com',
    ]);
  });

  test('NUL and other controls are stripped from the body; tabs and newlines stay', () => {
    expect(parseMailto('mailto:a@example.com?body=x%00y%07z%09t%0Au%0Dv%7F')!.text).toBe('xyz\tt\nu\nv');
  });

  test('invalid UTF-8 (overlong, truncated, lone surrogate encodings) drops that field only', () => {
    const p = parseMailto(
      'mailto:a@example.com?subject=%C0%AE%C0%AE&body=%E2%82&cc=%ED%A0%80@example.com&bcc=ok@example.com',
    )!;
    expect(p).toMatchObject({ subject: '', text: '', cc: [], bcc: ['ok@example.com'] });
  });

  test('a malformed percent escape drops that field only', () => {
    expect(parseMailto('mailto:a@example.com?subject=%ZZ&body=fine')).toMatchObject({ subject: '', text: 'fine' });
  });

  test('double encoding is decoded once: %250D%250A stays literal text', () => {
    expect(parseMailto('mailto:a@example.com?subject=a%250D%250Ab')!.subject).toBe('a%0D%0Ab');
  });

  test('raw control characters anywhere refuse the whole URL', () => {
    expect(parseMailto('mailto:a@example.com?subject=a\r\nBcc: x@evil.example')).toBeNull();
    expect(parseMailto('mailto:a@example.com\u0000')).toBeNull();
  });

  test('huge values are cut to the limits; a body as long as any link can carry arrives whole', () => {
    const body = 'b'.repeat(MAX_MAILTO_LENGTH - 6000);
    const p = parseMailto(`mailto:a@example.com?subject=${'s'.repeat(5000)}&body=${body}`)!;
    expect(p.subject).toHaveLength(PREFILL_LIMITS.subjectLength);
    // The body's limit is the message's own, above what a mailto: link may carry (the command
    // line's test shows the cut).
    expect(MAX_MAILTO_LENGTH).toBeLessThan(PREFILL_LIMITS.textLength);
    expect(p.text).toBe(body);
  });

  test('cutting never leaves half a surrogate pair', () => {
    const subject = 'x'.repeat(PREFILL_LIMITS.subjectLength - 1) + '😀';
    const cut = parseMailto(`mailto:a@example.com?subject=${encodeURIComponent(subject)}`)!.subject;
    expect(cut).toBe('x'.repeat(PREFILL_LIMITS.subjectLength - 1));
  });

  test('thousands of recipients are cut to the per-field limit', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `u${i}@example.com`).join(',');
    const p = parseMailto(`mailto:${many}?cc=${many}`)!;
    expect(p.to).toHaveLength(PREFILL_LIMITS.recipientsPerField);
    expect(p.cc).toHaveLength(PREFILL_LIMITS.recipientsPerField);
  });

  test('an over-long address, or one without @, is dropped', () => {
    expect(parseMailto(`mailto:${'a'.repeat(400)}@example.com,plainword,ok@example.com`)!.to).toEqual([
      'ok@example.com',
    ]);
  });

  test('URLs beyond the size limit are refused before parsing', () => {
    expect(parseMailto(`mailto:a@example.com?body=${'x'.repeat(MAX_MAILTO_LENGTH)}`)).toBeNull();
  });

  test('other schemes and non-strings are not mailto', () => {
    for (const url of ['http://a@example.com', 'javascript:alert(1)', 'mailto', 'xmailto:a@example.com', ''])
      expect(parseMailto(url)).toBeNull();
    expect(parseMailto(42 as unknown as string)).toBeNull();
    expect(isMailtoUrl('  mailto:x')).toBe(true);
  });

  test('prototype-looking field names do nothing', () => {
    const p = parseMailto('mailto:a@example.com?__proto__=x&constructor=y&toString=z')!;
    expect(p).toEqual({ to: ['a@example.com'], cc: [], bcc: [], subject: '', text: '', attachmentPaths: [] });
  });
});
