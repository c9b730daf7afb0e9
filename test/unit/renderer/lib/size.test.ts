import { describe, expect, test } from 'vitest';
import { base64EncodedSize, estimateMessageSize, formatBytes, MESSAGE_OVERHEAD, PART_OVERHEAD } from '../../../../renderer/src/lib/size';

describe('encoded size arithmetic', () => {
  test('base64 is 4 characters per 3 bytes, rounded up, plus CRLF per 76-character line', () => {
    expect(base64EncodedSize(0)).toBe(0);
    expect(base64EncodedSize(1)).toBe(4 + 2);
    expect(base64EncodedSize(3)).toBe(4 + 2);
    expect(base64EncodedSize(57)).toBe(76 + 2); // exactly one full line
    expect(base64EncodedSize(58)).toBe(80 + 4); // a second, short line
    expect(base64EncodedSize(3 * 1024 * 1024)).toBe(4 * 1024 * 1024 + 2 * Math.ceil((4 * 1024 * 1024) / 76));
  });

  test('a 10 MB file costs about 13.7 MB of the limit', () => {
    const ratio = base64EncodedSize(10 * 1024 * 1024) / (10 * 1024 * 1024);
    expect(ratio).toBeGreaterThan(1.35);
    expect(ratio).toBeLessThan(1.37);
  });

  test('18 MB of files fits under a 25 MB limit, 19 MB does not', () => {
    const limit = 25 * 1024 * 1024;
    expect(estimateMessageSize('hi', [18 * 1024 * 1024])).toBeLessThan(limit);
    expect(estimateMessageSize('hi', [19 * 1024 * 1024])).toBeGreaterThan(limit);
  });

  test('the message estimate adds headers, the body and each encoded part', () => {
    expect(estimateMessageSize('', [])).toBe(MESSAGE_OVERHEAD);
    expect(estimateMessageSize('hello', [300])).toBe(MESSAGE_OVERHEAD + 5 + 2 + PART_OVERHEAD + base64EncodedSize(300));
    // Non-ASCII text travels encoded too.
    expect(estimateMessageSize('héllo', [])).toBe(MESSAGE_OVERHEAD + base64EncodedSize(6));
  });

  test('sizes read like a file manager', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(532)).toBe('532 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(4.2 * 1024 * 1024)).toBe('4.2 MB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB');
  });
});
