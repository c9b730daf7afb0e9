import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { decodeOAuthError } from '../../../../electron/oauth/oauth-errors';

type Entry = { provider: string; phase: string; response: string; code: string; class: string };
const entries = (
  JSON.parse(readFileSync(path.resolve('test/fixtures/provider-errors.json'), 'utf8')) as Entry[]
).filter((e) => e.phase.startsWith('oauth'));

test('the reference data has the OAuth answers we decode', () => {
  expect(entries.length).toBeGreaterThanOrEqual(20);
  expect(entries.map((e) => e.code)).toEqual(
    expect.arrayContaining(['AADSTS700082', 'AADSTS700081', 'AADSTS65001', 'invalid_grant']),
  );
});

test.each(entries.map((e) => [e.code, e] as const))('%s decodes to its class with plain words', (_code, entry) => {
  // Microsoft sends { error: "invalid_grant", error_description: "AADSTS700082: ..." };
  // Google's authorize errors arrive as text like "Error 400: admin_policy_enforced ...".
  const decoded = entry.code.startsWith('AADSTS')
    ? decodeOAuthError({ error: 'invalid_grant', description: entry.response })
    : decodeOAuthError({ description: entry.response, error: /^[a-z_]+$/.test(entry.code) ? entry.code : undefined });
  expect(decoded.class).toBe(entry.class);
  expect(decoded.providerCode).toBe(entry.code);
  expect(decoded.message.length).toBeGreaterThan(15);
  expect(decoded.message).not.toMatch(/AADSTS|invalid_grant/);
});

test('an unknown answer is permanent and quotes the provider, a 5xx is transient', () => {
  expect(decodeOAuthError({ error: 'weird', description: 'Something odd' })).toMatchObject({
    class: 'permanent',
    hint: expect.stringContaining('Something odd'),
  });
  expect(decodeOAuthError({ status: 503 })).toMatchObject({ class: 'transient' });
});
