/**
 * The two things done with a grant after sign-in: refreshing it (RFC 6749 section 6) and giving
 * it back (RFC 7009 revocation). One module for both, so the token manager, a sign-in that is
 * refused or cancelled after the provider granted something, and account removal all revoke the
 * same way: only where the provider offers it, and never letting a failure stop what called.
 */
import type * as client from 'openid-client';
import { openid } from './openid';
import type { Logger } from '../shared/logger';
import type { ProviderDefinition } from './provider-definition';

/** What a refresh grant answers: a new access token and, where the provider rotates, a new refresh token. */
export type RefreshResult = {
  accessToken: string;
  refreshToken?: string | undefined;
  expiresInSeconds?: number | undefined;
};

/** How a revocation went; `not-supported` when the provider has no revocation endpoint. */
export type Revocation = 'revoked' | 'not-supported' | 'failed';

/** Where a provider's discovered configuration comes from (accounts/provider-registry.ts). */
export type ConfigurationSource = {
  configuration(provider: ProviderDefinition): Promise<client.Configuration>;
  /** The same provider with the patient timeout refresh requests need (see oidc-config.ts). */
  refreshConfiguration(provider: ProviderDefinition): Promise<client.Configuration>;
};

/** Refresh and revocation at a provider. */
export type Grants = {
  /** One refresh grant; openid-client's errors pass through for the token manager to classify. */
  refresh(provider: ProviderDefinition, refreshToken: string): Promise<RefreshResult>;
  /** Gives a refresh token back where the provider offers revocation; never throws. */
  revoke(provider: ProviderDefinition, refreshToken: string): Promise<Revocation>;
};

/** Builds the grants module over a source of discovered configurations (the provider registry). */
export function createGrants(deps: { configurations: ConfigurationSource; logger: Logger }): Grants {
  const log = deps.logger.child('grants');
  return {
    async refresh(provider, refreshToken) {
      // The patient configuration: this request must not be abandoned while the provider works.
      const config = await deps.configurations.refreshConfiguration(provider);
      const response = await (await openid()).refreshTokenGrant(config, refreshToken);
      return {
        accessToken: response.access_token,
        refreshToken: response.refresh_token,
        expiresInSeconds: response.expiresIn(),
      };
    },
    async revoke(provider, refreshToken) {
      if (!provider.supportsRevocation) return 'not-supported';
      try {
        const config = await deps.configurations.configuration(provider);
        await (await openid()).tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
        return 'revoked';
      } catch (error) {
        log.warn('revocation failed', { providerId: provider.id, error });
        return 'failed';
      }
    },
  };
}
