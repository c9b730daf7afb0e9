/**
 * The IPC adapter: every channel of the contract mapped onto one call of a service, and the
 * answer back. The services speak their domain (plain typed methods) and know nothing of
 * channels or senders; the router (router.ts) has checked the sender and parsed the request
 * with the contract's schema before any handler here runs.
 */
import type { Diagnostics } from '../diagnostics/export';
import type { DraftStore } from '../drafts/draft-store';
import type { FileService } from '../files/file-service';
import type { MailService } from '../outbox/mail-service';
import type { RelayService } from '../relay/relay-service';
import type { SettingsService } from '../settings/settings-service';
import type { Handlers, PreloadHandlers } from './router';
import type { SenderFacts } from './sender-policy';

/** The settings channels. */
export function settingsHandlers(settings: SettingsService): Pick<Handlers, 'settings:get' | 'settings:set'> {
  return {
    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => settings.set(patch),
  };
}

/** The diagnostics channel. */
export function diagnosticsHandlers(diagnostics: Diagnostics): Pick<Handlers, 'diagnostics:export'> {
  return { 'diagnostics:export': async () => diagnostics.exportBundle() };
}

/** The files channels the page calls. */
export function filesHandlers(files: FileService): Pick<Handlers, 'files:choose' | 'files:describe'> {
  return {
    'files:choose': async () => files.choose(),
    'files:describe': async ({ fileIds }) => files.describe(fileIds),
  };
}

/** The preload-only channels: dropped files, as paths `webUtils.getPathForFile` gave. */
export function createPreloadHandlers(files: FileService): PreloadHandlers {
  return { 'files:addDropped': async ({ paths }) => files.give(paths) };
}

/** Each window has its own composer, so each window's draft holds its own file ids. */
const draftHolderOf = (sender: SenderFacts) => `draft:${sender.windowId ?? sender.frameUrl}`;

/** The draft channels: the sending window is the holder of the draft's file ids. */
export function draftHandlers(drafts: DraftStore): Pick<Handlers, 'drafts:get' | 'drafts:save'> {
  return {
    'drafts:get': async (_request, { sender }) => drafts.openFor(draftHolderOf(sender)),
    'drafts:save': async ({ draft }, { sender }) => ({ savedAt: await drafts.saveFor(draftHolderOf(sender), draft) }),
  };
}

/** The relay channels (other programs sending through Quicksend). */
export function relayHandlers(relay: RelayService): Pick<Handlers, 'relay:status' | 'relay:configure' | 'relay:listCredentials' | 'relay:createCredential' | 'relay:updateCredential' | 'relay:revokeCredential'> {
  return {
    'relay:status': async () => relay.status(),
    'relay:configure': async (patch) => relay.configure(patch),
    'relay:listCredentials': async () => relay.listPrograms(),
    'relay:createCredential': async (request) => relay.createCredential(request),
    'relay:updateCredential': async ({ id, ...patch }) => relay.updateCredential(id, patch),
    'relay:revokeCredential': async ({ id }) => relay.revokeCredential(id),
  };
}

/** Sending, the outbox, the history and the account test. */
export function mailHandlers(mail: MailService): Pick<Handlers, 'mail:send' | 'outbox:list' | 'outbox:cancel' | 'outbox:retryNow' | 'outbox:pause' | 'outbox:resume' | 'history:list' | 'accounts:test'> {
  return {
    'mail:send': async (request) => mail.send(request),
    'outbox:list': async () => mail.outbox(),
    'outbox:cancel': async ({ id }) => mail.cancel(id),
    'outbox:retryNow': async ({ id }) => mail.retryNow(id),
    'outbox:pause': async () => mail.setPaused(true),
    'outbox:resume': async () => mail.setPaused(false),
    'history:list': async ({ limit }) => mail.history(limit),
    'accounts:test': async ({ accountId }) => mail.testAccount(accountId),
  };
}
