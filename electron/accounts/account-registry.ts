/**
 * The accounts Quicksend holds: their records, their grants at rest, their access tokens, and
 * the two things the sending side reads (an `AccountDirectory` and an `AccessTokenSource`).
 * Built before the mail service, which needs those two, and before the account service, which
 * is built after mail so that it can take mail's reactions as constructor arguments.
 */
import type { Grants } from '../oauth/grants';
import type { EventBus } from '../ipc/event-bus';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock, KeyValueStore, SecretCipher } from '../shared/ports';
import type { Vault } from '../vault/vault';
import { createAccountList } from './account-list';
import { createAccountStore } from './account-store';
import { createAccountTokens } from './account-tokens';
import { createLastUsed } from './last-used';
import type { ProviderRegistry } from './provider-registry';
import { createSendingDirectory } from './sending-directory';
import { createTokenStore } from './token-store';

export type AccountRegistryDeps = {
  store: KeyValueStore;
  vault: Vault;
  cipher: SecretCipher;
  providers: ProviderRegistry;
  grants: Grants;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  /** Whether the person accepted tokens on disk under Linux's `basic_text` backend. */
  weakStorageConsent(): boolean;
  /** Milliseconds between keep-alive refreshes (default 5 days; 0 turns them off). */
  keepAliveMs?: number | undefined;
  /** How long a send waits for a running refresh before it is retried later (default 30 s). */
  tokenWaitMs?: number | undefined;
  /** How long removal and quitting wait for a running refresh to save its answer (default 10 s). */
  refreshSettleMs?: number | undefined;
};

/** Builds the accounts held from the settings store and the vault; `start()` checks their grants. */
export function createAccountRegistry(deps: AccountRegistryDeps) {
  const log = deps.logger.child('accounts');
  const records = createAccountStore(deps.store, log);
  const tokenStore = createTokenStore({
    vault: deps.vault,
    cipher: deps.cipher,
    weakStorageConsent: deps.weakStorageConsent,
    logger: log,
  });
  const lastUsed = createLastUsed({ records, clock: deps.clock, logger: log });
  const accountList = createAccountList({
    records,
    providers: deps.providers,
    tokenStore,
    lastUsed,
    events: deps.events,
    logger: log,
  });
  const tokens = createAccountTokens({
    records,
    tokenStore,
    grants: deps.grants,
    providers: deps.providers,
    accountList,
    clock: deps.clock,
    logger: deps.logger,
    redactor: deps.redactor,
    keepAliveMs: deps.keepAliveMs ?? 5 * 24 * 3600_000,
    tokenWaitMs: deps.tokenWaitMs,
    refreshSettleMs: deps.refreshSettleMs,
  });
  const directory = createSendingDirectory({ records, providers: deps.providers, tokens, accountList, lastUsed });

  return {
    records,
    tokenStore,
    accountList,
    tokens,
    directory,
    /** Checks every account's grant and starts keep-alive timers for those that can refresh. */
    start: () => tokens.start(),
    /** Saves last-used times and waits (bounded) for running refreshes. */
    async dispose(): Promise<void> {
      lastUsed.flush();
      await tokens.dispose();
    },
  };
}

/** The accounts held, shared by the account service and the sending side. */
export type AccountRegistry = ReturnType<typeof createAccountRegistry>;
