/**
 * openid-client, loaded on the first sign-in, discovery or refresh rather than at start-up:
 * most starts never talk to a provider, and the library costs tens of milliseconds to load.
 * Types come from `import type` (erased), so only this file names the run-time module.
 */
import type * as OpenIdClient from 'openid-client';

export type OpenId = typeof OpenIdClient;

let loaded: OpenId | undefined;
let loading: Promise<OpenId> | undefined;

/** The library, imported once on first call. */
export function openid(): Promise<OpenId> {
  loading ??= import('openid-client').then((module) => (loaded = module));
  return loading;
}

/**
 * The library if something already loaded it. Synchronous error checks use it: an error of
 * one of its classes can only exist once it has been loaded.
 */
export function openidIfLoaded(): OpenId | undefined {
  return loaded;
}
