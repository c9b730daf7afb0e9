/**
 * The contract's channel and event names without its schemas, so the preload and the web
 * bridge need not bundle zod (about 700 kB, and its eval probe trips the page's CSP). The
 * compiler checks that these lists name every channel and event of contract.ts, and no other.
 */
import type { Channel, EventName, PreloadChannel } from './contract';

export const CHANNEL_NAMES = [
  'app:info',
  'app:notices',
  'app:log',
  'providers:list',
  'providers:setClient',
  'providers:discover',
  'providers:addCustom',
  'accounts:list',
  'accounts:add',
  'accounts:cancelSignIn',
  'accounts:reauthorize',
  'accounts:update',
  'accounts:remove',
  'accounts:signOutAll',
  'accounts:test',
  'accounts:setExtraCa',
  'certificates:inspect',
  'mail:send',
  'outbox:list',
  'outbox:cancel',
  'outbox:retryNow',
  'outbox:pause',
  'outbox:resume',
  'history:list',
  'settings:get',
  'settings:set',
  'drafts:get',
  'drafts:save',
  'files:choose',
  'files:describe',
  'diagnostics:export',
  'relay:status',
  'relay:configure',
  'relay:listCredentials',
  'relay:createCredential',
  'relay:updateCredential',
  'relay:revokeCredential',
] as const satisfies readonly Channel[];

/** Channels only the preload calls (never a `window.quicksend` method): see contract.ts. */
export const PRELOAD_CHANNEL_NAMES = ['files:addDropped'] as const satisfies readonly PreloadChannel[];

/** The preload's channel for dropped files. */
export const FILES_DROPPED_CHANNEL = PRELOAD_CHANNEL_NAMES[0];

export const EVENT_NAMES = [
  'accounts:changed',
  'signin:progress',
  'outbox:changed',
  'compose:open',
  'view:show',
  'app:notice',
  'relay:changed',
] as const satisfies readonly EventName[];

// Completeness: a channel or event missing from the lists above is a compile error here.
type MissingChannel = Exclude<Channel, (typeof CHANNEL_NAMES)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
type MissingPreloadChannel = Exclude<PreloadChannel, (typeof PRELOAD_CHANNEL_NAMES)[number]>;
export const namesAreComplete: [MissingChannel, MissingEvent, MissingPreloadChannel] extends [never, never, never]
  ? true
  : never = true;

export function isEventNameValue(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
