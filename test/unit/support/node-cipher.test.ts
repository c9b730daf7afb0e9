import { expect, test } from 'vitest';
import { createNodeCipher } from '../../support/node-cipher';

test('round-trips and never leaves the plain text in the output', async () => {
  const cipher = createNodeCipher();
  const data = await cipher.encrypt('refresh-token-value-123');
  expect(Buffer.from(data).toString('latin1')).not.toContain('refresh-token-value-123');
  expect(await cipher.decrypt(data)).toEqual({ plain: 'refresh-token-value-123', shouldReEncrypt: false });
});

test('tampered data and another key are refused', async () => {
  const cipher = createNodeCipher();
  const data = await cipher.encrypt('secret');
  const tampered = Uint8Array.from(data);
  tampered[tampered.length - 1]! ^= 1;
  await expect(cipher.decrypt(tampered)).rejects.toThrow();
  await expect(createNodeCipher().decrypt(data)).rejects.toThrow();
});
