/**
 * The relay's tunables. Production keeps patient values; tests shrink every timeout, delay and
 * limit. The recipient limit matches the composer's (`maxRecipients` in outbox/mail-service.ts,
 * moving into the shared limits module): one number for both once that module lands.
 */
import { defaultAuthThrottle, type AuthThrottleOptions } from './auth-throttle';
import { createLoopbackCertificate } from './loopback-cert';
import { findPortOwner, type PortOwner } from './port-owner';

/** Recipients per message, like the composer's (outbox/mail-service.ts `maxRecipients`). */
export const RELAY_MAX_RECIPIENTS = 100;
/** The port people type into their programs unless they change it. */
export const DEFAULT_RELAY_PORT = 1587;
/** A new credential's messages per hour unless the person chooses otherwise. */
export const DEFAULT_SEND_LIMIT_PER_HOUR = 50;
/** The only addresses the relay will ever listen on. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1'] as const;

export type RelayOptions = {
  /** Where to listen; each must be a loopback address (anything else is refused). `::1` is skipped where the system has no IPv6. */
  hosts: string[];
  /** Open connections at once, all listeners together; more get 421. */
  maxConnections: number;
  /** A connection idle this long (a client stalled in DATA included) is closed. */
  socketTimeoutMs: number;
  /** At stop, how long open sessions may take to finish before they are cut. */
  closeTimeoutMs: number;
  maxRecipients: number;
  /** The largest header block kept in memory while a message arrives. */
  maxHeaderBytes: number;
  auth: AuthThrottleOptions;
  /** Name in the greeting and in added Message-IDs' absence of an account domain. */
  serverName: string;
  findPortOwner(port: number): Promise<PortOwner | null>;
  createCertificate: typeof createLoopbackCertificate;
};

export const defaultRelayOptions: RelayOptions = {
  hosts: [...LOOPBACK_HOSTS],
  maxConnections: 200,
  socketTimeoutMs: 5 * 60_000,
  closeTimeoutMs: 5_000,
  maxRecipients: RELAY_MAX_RECIPIENTS,
  maxHeaderBytes: 1024 * 1024,
  auth: defaultAuthThrottle,
  serverName: 'localhost',
  findPortOwner: (port) => findPortOwner(port),
  createCertificate: createLoopbackCertificate,
};
