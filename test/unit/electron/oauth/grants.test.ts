/**
 * Refresh and revocation through openid-client, against a provider answered in-process (no
 * network): what is sent (RFC 6749 section 6, RFC 7009), which configuration each uses, and
 * that a failed revocation is an outcome, never an exception. The real provider's side is
 * proved against the sandbox in test/integration/accounts/*.
 */
import * as client from 'openid-client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createGrants, type ConfigurationSource } from '../../../../electron/oauth/grants';
import type { ProviderDefinition } from '../../../../electron/oauth/provider-definition';
import { classifyRefreshFailure } from '../../../../electron/oauth/token-manager';
import { sandboxProvider } from '../../../../electron/accounts/providers';
import { memoryLogger } from '../../../fakes/logger';

const ISSUER = 'https://id.example.com';
const provider: ProviderDefinition = sandboxProvider({
  issuer: ISSUER,
  smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
  mailScope: 'mail',
});
const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Answer = (url: URL, form: URLSearchParams) => Response;

/** A provider whose token and revocation endpoints answer with `answer`; every request is kept. */
function setup(answer: Answer) {
  const requests: Array<{ path: string; form: Record<string, string> }> = [];
  const asked: string[] = [];
  const configuration = (purpose: string) => {
    const config = new client.Configuration(
      { issuer: ISSUER, token_endpoint: `${ISSUER}/token`, revocation_endpoint: `${ISSUER}/revoke` },
      'client-1',
      undefined,
      client.None(),
    );
    config[client.customFetch] = async (input, init) => {
      const url = new URL(input);
      const form = new URLSearchParams(String(init.body));
      requests.push({ path: url.pathname, form: Object.fromEntries(form) });
      return answer(url, form);
    };
    asked.push(purpose);
    return config;
  };
  const configurations: ConfigurationSource = {
    configuration: async () => configuration('default'),
    refreshConfiguration: async () => configuration('refresh'),
  };
  const { logger, records } = memoryLogger();
  return { grants: createGrants({ configurations, logger }), requests, asked, logs: records };
}

describe('refresh', () => {
  // openid-client counts `expires_in` down from the answer's arrival by the wall clock.
  beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => void vi.useRealTimers());

  test('sends the refresh token with the patient configuration and returns the rotated grant', async () => {
    const { grants, requests, asked } = setup(() =>
      json({ access_token: 'at-2', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt-2' }),
    );
    expect(await grants.refresh(provider, 'rt-1')).toEqual({
      accessToken: 'at-2',
      refreshToken: 'rt-2',
      expiresInSeconds: 60,
    });
    expect(asked).toEqual(['refresh']);
    expect(requests).toEqual([
      { path: '/token', form: { grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'client-1' } },
    ]);
  });

  test('a provider that does not rotate answers without a refresh token', async () => {
    const { grants } = setup(() => json({ access_token: 'at-2', token_type: 'Bearer' }));
    expect(await grants.refresh(provider, 'rt-1')).toEqual({
      accessToken: 'at-2',
      refreshToken: undefined,
      expiresInSeconds: undefined,
    });
  });

  test("the provider's refusal passes through for the token manager to classify (invalid_grant: sign in again)", async () => {
    const { grants } = setup(() =>
      json({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, 400),
    );
    const error = await grants.refresh(provider, 'rt-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.ResponseBodyError);
    expect(classifyRefreshFailure(error)).toMatchObject({ code: 'auth.needs_sign_in' });
  });
});

describe('revoke', () => {
  test('gives the refresh token back at the revocation endpoint (RFC 7009)', async () => {
    const { grants, requests, asked } = setup(() => new Response(null, { status: 200 }));
    expect(await grants.revoke(provider, 'rt-1')).toBe('revoked');
    expect(asked).toEqual(['default']);
    expect(requests).toEqual([
      { path: '/revoke', form: { token: 'rt-1', token_type_hint: 'refresh_token', client_id: 'client-1' } },
    ]);
  });

  test('a provider without revocation is not asked at all', async () => {
    const { grants, requests, asked } = setup(() => new Response(null, { status: 200 }));
    expect(await grants.revoke({ ...provider, supportsRevocation: false }, 'rt-1')).toBe('not-supported');
    expect(requests).toEqual([]);
    expect(asked).toEqual([]);
  });

  test('a refusal or an unreachable provider is an outcome, logged without the token', async () => {
    const refused = setup(() => json({ error: 'server_error' }, 503));
    expect(await refused.grants.revoke(provider, 'rt-secret-1')).toBe('failed');
    const down = setup(() => {
      throw new TypeError('fetch failed');
    });
    expect(await down.grants.revoke(provider, 'rt-secret-2')).toBe('failed');
    for (const { logs } of [refused, down]) {
      expect(logs.filter((r) => r.message === 'revocation failed')).toHaveLength(1);
      expect(JSON.stringify(logs)).not.toContain('rt-secret');
    }
  });
});
