import { expect, test } from 'vitest';
import { assertLoopback } from '../../../../electron/relay/relay-server';

test('only 127.0.0.1 and ::1 may be listened on', () => {
  expect(() => assertLoopback('127.0.0.1')).not.toThrow();
  expect(() => assertLoopback('::1')).not.toThrow();
  for (const host of [
    '0.0.0.0',
    '::',
    'localhost',
    '127.0.0.2',
    '127.1',
    '::ffff:127.0.0.1',
    '192.168.0.2',
    '',
    ' 127.0.0.1',
  ]) {
    expect(() => assertLoopback(host), host).toThrow(/only on this computer/);
  }
});
