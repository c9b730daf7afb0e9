/**
 * The `AccountDirectory` the sending side reads (sending-account.ts): an account's SMTP facts
 * from its record and provider, "needs sign-in" when SMTP refuses its tokens for good, and the
 * "last used" touch of every delivery.
 */
import type { AccountList } from './account-list';
import type { AccountStore } from './account-store';
import type { AccountTokens } from './account-tokens';
import type { LastUsed } from './last-used';
import type { ProviderRegistry } from './provider-registry';
import type { AccountDirectory } from './sending-account';

export type SendingDirectoryDeps = {
  records: Pick<AccountStore, 'get'>;
  providers: Pick<ProviderRegistry, 'find'>;
  tokens: Pick<AccountTokens, 'invalidate'>;
  accountList: Pick<AccountList, 'markNeedsSignIn'>;
  lastUsed: Pick<LastUsed, 'touch'>;
};

/** Builds the directory the outbox and the SMTP sender read accounts through. */
export function createSendingDirectory(deps: SendingDirectoryDeps): AccountDirectory {
  return {
    get(accountId) {
      const record = deps.records.get(accountId);
      if (!record) return undefined;
      const provider = deps.providers.find(record.providerId);
      if (!provider) return undefined;
      return {
        id: record.id,
        providerId: record.providerId,
        login: record.address,
        fromAddress: record.fromAddress,
        displayName: record.displayName,
        // The account's own CA adds to the provider's (both add to the system roots).
        smtp: record.extraCa
          ? { ...provider.smtp, extraCa: [provider.smtp.extraCa, record.extraCa].filter(Boolean).join('\n') }
          : provider.smtp,
        attachmentLimitBytes: provider.attachmentLimitBytes,
      };
    },
    async markNeedsSignIn(accountId, reason) {
      deps.tokens.invalidate(accountId);
      deps.accountList.markNeedsSignIn(accountId, reason);
    },
    touch: (accountId) => deps.lastUsed.touch(accountId),
  };
}
