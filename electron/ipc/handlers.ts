/**
 * The IPC adapter: every channel of the contract mapped onto one call of a service, and the
 * answer back. The services speak their domain (plain typed methods) and know nothing of
 * channels or senders; the router (router.ts) has checked the sender and parsed the request
 * with the contract's schema before any handler here runs. The table is typed as the complete
 * `Handlers` mapping, so a channel added to the contract does not compile until it is mapped.
 */
import type { AccountService } from '../accounts/account-service';
import type { Diagnostics } from '../diagnostics/export';
import type { DraftStore } from '../drafts/draft-store';
import type { FileService } from '../files/file-service';
import type { MailService } from '../outbox/mail-service';
import type { RelayService } from '../relay/relay-service';
import type { SettingsService } from '../settings/settings-service';
import type { AppInfo, CaCertificate, Notice } from './contract';
import type { Handlers, PreloadHandlers } from './router';
import type { SenderFacts } from './sender-policy';

/** Facts about the running app, its notices, and the renderer's log lines. */
export type AppService = {
  info(): AppInfo;
  /** Notices so far (damaged files moved aside at start-up...). */
  notices(): Notice[];
  /** A line the renderer logs, written under the `renderer` scope. */
  log(level: 'info' | 'warn' | 'error', message: string): void;
};

/** Checks a PEM as a CA certificate and describes it, saving nothing. */
export type CertificateInspector = { inspect(pem: string): CaCertificate };

/** Every service a channel leads to. */
export type Services = {
  app: AppService;
  accounts: AccountService;
  mail: MailService;
  settings: SettingsService;
  drafts: DraftStore;
  files: FileService;
  diagnostics: Diagnostics;
  relay: RelayService;
  certificates: CertificateInspector;
};

/** Each window has its own composer, so each window's draft holds its own file ids. */
const draftHolderOf = (sender: SenderFacts) => `draft:${sender.windowId ?? sender.frameUrl}`;

/** The handler of every contract channel. */
export function createHandlers(services: Services): Handlers {
  const { app, accounts, mail, settings, drafts, files, diagnostics, relay, certificates } = services;
  return {
    'app:info': async () => app.info(),
    'app:notices': async () => app.notices(),
    'app:log': async ({ level, message }) => {
      app.log(level, message);
      return {};
    },

    'providers:list': async () => accounts.listProviders(),
    'providers:setClient': async (request) => accounts.setProviderClient(request),
    'providers:discover': async (request) => accounts.discoverProvider(request),
    'providers:addCustom': async (request) => accounts.addCustomProvider(request),

    'accounts:list': async () => accounts.list(),
    'accounts:add': async (request) => accounts.add(request),
    'accounts:cancelSignIn': async (request) => accounts.cancelSignIn(request),
    'accounts:reauthorize': async (request) => accounts.reauthorize(request),
    'accounts:update': async (request) => accounts.update(request),
    'accounts:remove': async (request) => accounts.remove(request),
    'accounts:signOutAll': async (request) => accounts.signOutAll(request),
    'accounts:test': async ({ accountId }) => mail.testAccount(accountId),
    'accounts:setExtraCa': async (request) => accounts.setExtraCa(request),
    'certificates:inspect': async ({ pem }) => certificates.inspect(pem),

    'mail:send': async (request) => mail.send(request),
    'outbox:list': async () => mail.outbox(),
    'outbox:cancel': async ({ id }) => mail.cancel(id),
    'outbox:retryNow': async ({ id }) => mail.retryNow(id),
    'outbox:pause': async () => mail.setPaused(true),
    'outbox:resume': async () => mail.setPaused(false),
    'history:list': async ({ limit }) => mail.history(limit),

    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => settings.set(patch),
    'drafts:get': async (_request, { sender }) => drafts.openFor(draftHolderOf(sender)),
    'drafts:save': async ({ draft }, { sender }) => ({ savedAt: await drafts.saveFor(draftHolderOf(sender), draft) }),
    'files:choose': async () => files.choose(),
    'files:describe': async ({ fileIds }) => files.describe(fileIds),
    'diagnostics:export': async () => diagnostics.exportBundle(),

    'relay:status': async () => relay.status(),
    'relay:configure': async (patch) => relay.configure(patch),
    'relay:listCredentials': async () => relay.listPrograms(),
    'relay:createCredential': async (request) => relay.createCredential(request),
    'relay:updateCredential': async ({ id, ...patch }) => relay.updateCredential(id, patch),
    'relay:revokeCredential': async ({ id }) => relay.revokeCredential(id),
  };
}

/** The preload-only channels: dropped files, as the paths `webUtils.getPathForFile` gave. */
export function createPreloadHandlers(files: FileService): PreloadHandlers {
  return { 'files:addDropped': async ({ paths }) => files.give(paths) };
}
