/**
 * nodemailer pool options for one account: implicit TLS on `tls` (465), STARTTLS with
 * `requireTLS` on `starttls` (587), TLS 1.2 or newer, certificates always verified (optionally
 * against one extra CA for a self-hosted server), and AUTH without TLS only to a loopback host
 * under the development flag. Each new connection signs in through `oauthSasl` (XOAUTH2 or
 * OAUTHBEARER), which asks `accessToken` once.
 */
import { isIP } from 'node:net';
import os from 'node:os';
import { rootCertificates } from 'node:tls';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { SendingAccount, SmtpEndpoint } from '../accounts/sending-account';
import { AppError } from '../shared/errors';
import { OAUTH_SASL_METHOD, oauthSasl, type OAuthMechanism } from './smtp-oauth';

/** Every SMTP timeout, in milliseconds; tests shrink them, production keeps the defaults. */
export type SmtpTimeouts = {
  /** TCP connect, DNS included. */
  connectionMs: number;
  /** From connect to the 220 greeting (and each TLS upgrade). */
  greetingMs: number;
  /** Longest silence inside a session; Gmail may wait several seconds before a 535. */
  socketMs: number;
  /** A pooled connection with nothing to send is closed after this. */
  idleMs: number;
  /** Whole-message guard: a server trickling replies never trips the socket timeout. */
  sendMs: number;
};

export const defaultSmtpTimeouts: SmtpTimeouts = {
  connectionMs: 30_000,
  greetingMs: 30_000,
  socketMs: 60_000,
  idleMs: 60_000,
  sendMs: 5 * 60_000,
};

/** 127.0.0.0/8, ::1 and `localhost`: the only hosts `security: 'none'` may reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/** The CAs a connection to `smtp` trusts: the system roots, plus the extra CA when there is one. */
export function trustOptions(smtp: Pick<SmtpEndpoint, 'extraCa'>): { ca?: string[] } {
  // An extra CA adds to the system roots, it never replaces them.
  return smtp.extraCa ? { ca: [...rootCertificates, smtp.extraCa] } : {};
}

export type TransportContext = {
  development: boolean;
  timeouts: SmtpTimeouts;
  /** The access token for one new connection (called once per connection). */
  accessToken(): Promise<string>;
  onMechanism?(mechanism: OAuthMechanism): void;
  maxConnections: number;
};

/**
 * The EHLO name, as nodemailer would pick it (the machine's name when it is a full domain name,
 * else an address literal), set explicitly so a repeated EHLO says the same.
 */
export function ehloName(hostname: () => string = os.hostname): string {
  let name: string;
  try {
    name = hostname();
  } catch {
    name = '';
  }
  if (!name.includes('.')) return '[127.0.0.1]';
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) ? `[${name}]` : name;
}

/** The pool options for `account`; throws `smtp.insecure_refused` for plain text outside loopback development. */
export function transportOptions(
  account: SendingAccount,
  context: TransportContext,
): SMTPPool.Options & { forceAuth: boolean } {
  const { smtp } = account;
  if (smtp.security === 'none' && !(context.development && isLoopbackHost(smtp.host))) {
    throw new AppError('smtp.insecure_refused', 'Quicksend only signs in over an encrypted connection.', {
      hint: 'Choose TLS (port 465) or STARTTLS (port 587) in the account settings.',
    });
  }
  const { timeouts } = context;
  const name = ehloName();
  return {
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...trustOptions(smtp),
      ...(isIP(smtp.host) ? {} : { servername: smtp.host }),
    },
    name,
    // Our own SASL handler instead of nodemailer's XOAUTH2 (which only speaks XOAUTH2 and would
    // refresh by itself): nodemailer calls the handler named by `method` for every new pool
    // connection (smtp-connection login(), customAuth). `pass` is never sent anywhere.
    auth: { type: 'custom', user: account.login, pass: '', method: OAUTH_SASL_METHOD },
    customAuth: {
      [OAUTH_SASL_METHOD]: oauthSasl({
        user: account.login,
        host: smtp.host,
        port: smtp.port,
        preferOAuthBearer: smtp.preferOAuthBearer === true,
        ehloName: name,
        accessToken: context.accessToken,
        ...(context.onMechanism ? { onMechanism: context.onMechanism } : {}),
      }),
    },
    // Sign in even when the server does not advertise AUTH: the handler then says clearly that
    // no OAuth mechanism is offered, instead of sending unauthenticated and failing at MAIL FROM.
    forceAuth: true,
    maxConnections: context.maxConnections,
    maxMessages: 100,
    // The outbox decides about every retry (and counts it); the pool must not resend by itself.
    maxRequeues: 0,
    idleTimeout: timeouts.idleMs,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: Math.min(timeouts.connectionMs, 30_000),
    logger: false,
    debug: false,
  };
}
