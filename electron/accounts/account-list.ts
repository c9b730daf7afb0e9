/**
 * Accounts as the person sees them (`Account` of the contract): each record joined with its
 * provider's name, where its grant is kept, its health and its last-used time, and the
 * `accounts:changed` event that carries the whole list whenever one of those changes.
 */
import type { Account } from '../ipc/contract';
import { summaryOf } from '../mail/ca-certificate';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../shared/logger';
import type { AccountRecord, AccountStore } from './account-store';
import type { LastUsed } from './last-used';
import type { ProviderRegistry } from './provider-registry';
import type { TokenStore } from './token-store';

export type AccountListDeps = {
  records: AccountStore;
  providers: Pick<ProviderRegistry, 'find'>;
  tokenStore: Pick<TokenStore, 'storageOf'>;
  lastUsed: Pick<LastUsed, 'pendingFor'>;
  events: EventBus;
  logger: Logger;
};

/** Builds the person's view of the accounts; `refreshing` state lives here because only health shows it. */
export function createAccountList(deps: AccountListDeps) {
  // Accounts whose refresh is running now, shown as `refreshing`.
  const refreshing = new Set<string>();

  function view(record: AccountRecord): Account {
    const storage = deps.tokenStore.storageOf(record.id) ?? 'vault';
    const health: Account['health'] = record.needsSignIn
      ? 'needs-sign-in'
      : refreshing.has(record.id)
        ? 'refreshing'
        : storage === 'session-only'
          ? 'session-only'
          : 'ready';
    const extraCa = summaryOf(record.extraCa);
    return {
      id: record.id,
      provider: record.providerId,
      providerName: deps.providers.find(record.providerId)?.name ?? record.providerId,
      address: record.address,
      fromAddress: record.fromAddress,
      displayName: record.displayName,
      health,
      storage,
      lastUsedAt: deps.lastUsed.pendingFor(record.id) ?? record.lastUsedAt,
      ...(extraCa ? { extraCa } : {}),
    };
  }

  const list = () => deps.records.list().map(view);
  const changed = () => deps.events.emit('accounts:changed', { accounts: list() });

  return {
    view,
    list,
    /** Tells every window the list changed. */
    changed,
    /** Marks a refresh of the account as running or over (its health shows it). */
    setRefreshing(accountId: string, active: boolean): void {
      if (active) refreshing.add(accountId);
      else refreshing.delete(accountId);
    },
    /** The provider refused the account's grant for good: it shows as needing sign-in. */
    markNeedsSignIn(accountId: string, reason: string): void {
      if (deps.records.update(accountId, { needsSignIn: true })) {
        deps.logger.warn('account needs sign-in', { accountId, reason });
        changed();
      }
    },
  };
}

/** The accounts as the person sees them. */
export type AccountList = ReturnType<typeof createAccountList>;
