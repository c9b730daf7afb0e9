import * as client from 'openid-client';
import { describe, expect, test } from 'vitest';
import type { ProviderDefinition } from '../../../../electron/oauth/provider-definition';
import { startSignIn } from '../../../../electron/oauth/sign-in';
import { createRedactor } from '../../../../electron/shared/logger';
import { createManualClock } from '../../../fakes/manual-clock';

const config = new client.Configuration(
  { issuer: 'https://login.example.org', authorization_endpoint: 'https://login.example.org/authorize' },
  'client-1',
);

/** A custom provider as an older version may have stored it: extra parameters of any name. */
function customWith(extra: Record<string, string>): ProviderDefinition {
  return {
    id: 'custom-1',
    kind: 'custom',
    name: 'Work',
    issuer: 'https://login.example.org',
    scopes: ['openid', 'email', 'offline_access', 'mail'],
    requiredScopes: ['mail'],
    extraAuthorizationParams: extra,
    smtp: { host: 'smtp.example.org', port: 587, security: 'starttls' },
    attachmentLimitBytes: 1,
    supportsRevocation: false,
    needsClientSecret: false,
    helpUrl: 'https://login.example.org',
  };
}

/** Starts a sign-in, captures the URL it opens, then cancels it. */
async function signInUrl(provider: ProviderDefinition, loginHint?: string): Promise<URL> {
  let opened: string | undefined;
  const handle = startSignIn({
    config,
    provider,
    loginHint,
    clock: createManualClock(),
    timeoutMs: 60_000,
    redactor: createRedactor(),
    onProgress: () => {},
    grants: { revoke: async () => 'not-supported' },
    browser: { open: async (url) => void (opened = url) },
  });
  await expect.poll(() => opened, { timeout: 5_000 }).toBeDefined();
  handle.cancel();
  await handle.result.catch(() => {});
  return new URL(opened!);
}

describe('the authorization request', () => {
  test("Quicksend's security parameters always win over a provider's extra parameters", async () => {
    const url = await signInUrl(
      customWith({
        state: 'attacker-state',
        nonce: 'attacker-nonce',
        code_challenge: 'known',
        code_challenge_method: 'plain',
        redirect_uri: 'https://evil.example/cb',
        response_type: 'token',
        client_id: 'other-client',
        scope: 'openid',
        request: 'eyJhbGciOiJub25lIn0.e30.',
        request_uri: 'https://evil.example/req',
        response_mode: 'form_post',
        hd: 'example.org',
      }),
    );
    const p = url.searchParams;
    expect(p.get('state')).not.toBe('attacker-state');
    expect(p.get('nonce')).not.toBe('attacker-nonce');
    expect(p.get('code_challenge')).not.toBe('known');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('client-1');
    expect(p.get('scope')).toBe('openid email offline_access mail');
    for (const smuggler of ['request', 'request_uri', 'response_mode']) expect(p.has(smuggler), smuggler).toBe(false);
    expect(p.get('prompt')).toBe('consent');
    expect(p.get('hd')).toBe('example.org'); // an allowed extra still goes
  });

  test('the login hint comes from the person, not from the provider entry', async () => {
    expect(
      (await signInUrl(customWith({ login_hint: 'someone@else.example' }), 'me@example.org')).searchParams.get(
        'login_hint',
      ),
    ).toBe('me@example.org');
  });
});
