/**
 * What the person does with accounts and providers: set up a provider, add an account through a
 * browser sign-in, sign in again, change how it sends, remove it (its grant revoked), or sign
 * out of everything at once. Plain typed methods; the IPC adapter (ipc/handlers.ts) maps the
 * channels onto them. The sending side's reactions (resume mail, stop all sending) come in as a constructor
 * argument, so nothing is wired after construction.
 */
import { randomUUID } from 'node:crypto';
import type { Account, Provider, ProviderDiscovery } from '../ipc/contract';
import { checkCaCertificate } from '../mail/ca-certificate';
import type { Grants, Revocation } from '../oauth/grants';
import type { SignInResult } from '../oauth/sign-in';
import type { EventBus } from '../ipc/event-bus';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { BrowserLauncher, Clock } from '../shared/ports';
import type { AccountRecord } from './account-store';
import type { AccountRegistry } from './account-registry';
import type { CustomProviderInput, ProviderRegistry } from './provider-registry';
import { createSignInFlow } from './sign-in-flow';
import { createSignInProgress } from './sign-in-progress';

/** What the sending side does when accounts change; given by core.ts from the mail service. */
export type SendingReactions = {
  /** The account can send again (signed in afresh): resume the mail that waited for it. */
  accountReady(accountId: string): void;
  /** The account's SMTP trust changed (extra CA added or removed): re-send what waited for it. */
  smtpSettingsChanged(accountId: string): void;
  /** Emergency sign-out: stop all sending, optionally delete what waits; returns how many were deleted. */
  stopAll(deleteWaitingMessages: boolean): Promise<number>;
};

/** What "sign out of all accounts" did: accounts signed out, grants revoked or not, messages deleted. */
export type SignOutSummary = { accounts: number; revoked: number; revocationFailed: number; deletedMessages: number };

export type AccountServiceDeps = {
  registry: AccountRegistry;
  providers: ProviderRegistry;
  grants: Grants;
  sending: SendingReactions;
  browser: BrowserLauncher;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  /** How long a browser sign-in may take (default 5 minutes). */
  signInTimeoutMs?: number | undefined;
};

/** A new account for the sign-in's identity, or the existing one of the same address made ready. */
function recordFor(
  accounts: AccountRecord[],
  providerId: string,
  result: SignInResult,
  now: number,
): { record: AccountRecord; existing: boolean } {
  const address = result.identity.address.toLowerCase();
  const existing = accounts.find((a) => a.providerId === providerId && a.address.toLowerCase() === address);
  if (existing) return { record: { ...existing, needsSignIn: false }, existing: true };
  const record: AccountRecord = {
    id: randomUUID(),
    providerId,
    address: result.identity.address,
    fromAddress: result.identity.address,
    displayName: result.identity.name,
    subject: result.identity.subject,
    needsSignIn: false,
    lastUsedAt: null,
    createdAt: new Date(now).toISOString(),
  };
  return { record, existing: false };
}

/** Signing in again as another address is the person's mistake, said in the account's words. */
function differentAddress(record: AccountRecord) {
  return (error: unknown) =>
    error instanceof AppError && error.code === 'signin.address_mismatch'
      ? new AppError(
          'accounts.different_address',
          `That sign-in was for a different account than ${record.address}, so nothing changed.`,
          {
            hint: 'Sign in with the same account, or add the other one as a new account.',
          },
        )
      : error;
}

/** Builds the account service over the registry of accounts held; see the file comment. */
export function createAccountService(deps: AccountServiceDeps) {
  const { registry, providers } = deps;
  const { records, accountList, tokens, tokenStore } = registry;
  const log = deps.logger.child('accounts');
  const progress = createSignInProgress(deps.events);
  const signIns = createSignInFlow({
    providers,
    grants: deps.grants,
    progress,
    browser: deps.browser,
    clock: deps.clock,
    redactor: deps.redactor,
    logger: log,
    timeoutMs: deps.signInTimeoutMs ?? 5 * 60_000,
  });

  function requireAccount(accountId: string): AccountRecord {
    const record = records.get(accountId);
    if (!record) throw new AppError('accounts.unknown', 'That account no longer exists.');
    return record;
  }

  return {
    /** Every provider this run knows, as the UI describes it. */
    listProviders: (): Promise<Provider[]> => Promise.all(providers.all().map((p) => providers.describe(p))),
    /** Sets the client id (and secret, kept like tokens) a provider signs in with. */
    async setProviderClient({
      providerId,
      clientId,
      clientSecret,
    }: {
      providerId: string;
      clientId: string;
      clientSecret?: string | undefined;
    }): Promise<Provider> {
      return providers.describe(
        await providers.setClient(providerId, clientId, clientSecret, await tokenStore.storageForNewSecrets()),
      );
    },
    /** What an issuer offers, before it is saved as a provider. */
    discoverProvider: (input: {
      issuer: string;
      clientId: string;
      clientSecret?: string | undefined;
    }): Promise<ProviderDiscovery> => providers.discover(input),
    /** Saves a provider Quicksend did not write, after discovering it. */
    async addCustomProvider(input: CustomProviderInput): Promise<Provider> {
      return providers.describe(await providers.addCustom(input, await tokenStore.storageForNewSecrets()));
    },

    list: (): Account[] => accountList.list(),
    /** Adds an account by a browser sign-in; the same address signed in again makes the existing one ready. */
    add({ providerId, loginHint }: { providerId: string; loginHint?: string | undefined }): Promise<Account> {
      return signIns.run(providerId, loginHint, async (result) => {
        const { record, existing } = recordFor(records.list(), providerId, result, deps.clock.now());
        await tokens.keep(record.id, result.tokens);
        records.put(record);
        log.info('account added', { accountId: record.id, providerId });
        accountList.changed();
        if (existing) deps.sending.accountReady(record.id);
        progress.done(providerId);
        return accountList.view(record);
      });
    },
    /** Cancels the provider's running sign-in, at whatever stage it is. */
    cancelSignIn: ({ providerId }: { providerId: string }): { cancelled: boolean } => ({
      cancelled: signIns.cancel(providerId),
    }),
    /** Signs an account in again; a sign-in as a different address changes nothing. */
    reauthorize({ accountId }: { accountId: string }): Promise<Account> {
      const record = requireAccount(accountId);
      return signIns.run(
        record.providerId,
        record.address,
        async (result) => {
          tokens.invalidate(accountId);
          await tokens.keep(accountId, result.tokens);
          const updated = records.update(accountId, { needsSignIn: false }) ?? requireAccount(accountId);
          accountList.changed();
          deps.sending.accountReady(accountId);
          progress.done(record.providerId);
          return accountList.view(updated);
        },
        differentAddress(record),
      );
    },
    /** Changes the From address or display name. */
    update({
      accountId,
      fromAddress,
      displayName,
    }: {
      accountId: string;
      fromAddress?: string | undefined;
      displayName?: string | undefined;
    }): Account {
      requireAccount(accountId);
      const change: Partial<AccountRecord> = {};
      if (fromAddress !== undefined) change.fromAddress = fromAddress.trim();
      if (displayName !== undefined) change.displayName = displayName.trim();
      const updated = records.update(accountId, change) ?? requireAccount(accountId);
      accountList.changed();
      return accountList.view(updated);
    },
    /** Adds (PEM) or removes (null) the account's extra certificate authority. */
    setExtraCa({ accountId, pem }: { accountId: string; pem: string | null }): Account {
      requireAccount(accountId);
      // Checked before anything is saved: a refused certificate changes nothing.
      const checked = pem === null ? null : checkCaCertificate(pem, 'extraCa', deps.clock.now());
      const updated = records.update(accountId, { extraCa: checked?.pem ?? undefined }) ?? requireAccount(accountId);
      log.info(checked ? 'extra CA added' : 'extra CA removed', {
        accountId,
        ...(checked ? { subject: checked.summary.subject, fingerprint256: checked.summary.fingerprint256 } : {}),
      });
      accountList.changed();
      deps.sending.smtpSettingsChanged(accountId);
      return accountList.view(updated);
    },
    /** Removes the account here at once, then revokes its grant (whatever the provider says). */
    async remove({ accountId }: { accountId: string }): Promise<{ removed: true; revocation: Revocation }> {
      const record = requireAccount(accountId);
      // A refresh still on its way is not waited for: its answer is given back when it comes.
      const released = await tokens.release(record);
      records.remove(record.id);
      accountList.changed();
      const revocation = await tokens.revokeReleased(released);
      log.info('account removed', { accountId, revocation });
      return { removed: true, revocation };
    },
    /** Emergency sign-out: every account and secret gone locally, sending stopped, then every grant revoked. */
    async signOutAll({ deleteWaitingMessages }: { deleteWaitingMessages: boolean }): Promise<SignOutSummary> {
      const all = records.list();
      signIns.cancelAll();
      const released = await Promise.all(all.map((record) => tokens.release(record)));
      await tokenStore.wipeAll();
      records.clear();
      // Sending stops before anything goes over the network.
      const deletedMessages = await deps.sending.stopAll(deleteWaitingMessages);
      accountList.changed();
      const outcomes = await Promise.all(released.map((r) => tokens.revokeReleased(r)));
      log.warn('signed out of all accounts', { accounts: all.length });
      return {
        accounts: all.length,
        revoked: outcomes.filter((o) => o === 'revoked').length,
        revocationFailed: outcomes.filter((o) => o === 'failed').length,
        deletedMessages,
      };
    },

    /** What the sending side reads about accounts. */
    directory: registry.directory,
    /** Access tokens for the sending side. */
    tokens: tokens.source,
    /** Resolves when no refresh runs for the account (or any), waiting at most `refreshSettleMs`. */
    refreshSettled: (accountId?: string) => tokens.settled(accountId),
    /** Cancels sign-ins, saves last-used times, and waits (bounded) for running refreshes. */
    async dispose(): Promise<void> {
      signIns.cancelAll();
      await registry.dispose();
    },
  };
}

/** The account service. */
export type AccountService = ReturnType<typeof createAccountService>;
