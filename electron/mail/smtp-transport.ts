/**
 * nodemailer pool options for one account: implicit TLS on `tls` (465), STARTTLS with
 * `requireTLS` on `starttls` (587), TLS 1.2 or newer, certificates always verified (optionally
 * against one extra CA for a self-hosted server), and AUTH without TLS only to a loopback host
 * under the development flag. The access token comes from `provision` for each new connection.
 */
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { XOAuth2ProvisionCallback } from 'nodemailer/lib/xoauth2';
import type { SendingAccount } from '../accounts/sending-account';
import { AppError } from '../shared/errors';

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

export type TransportContext = {
  development: boolean;
  timeouts: SmtpTimeouts;
  provision: XOAuth2ProvisionCallback;
  maxConnections: number;
};

/** The pool options for `account`; throws `smtp.insecure_refused` for plain text outside loopback development. */
export function transportOptions(account: SendingAccount, context: TransportContext): SMTPPool.Options {
  const { smtp } = account;
  if (smtp.security === 'none' && !(context.development && isLoopbackHost(smtp.host))) {
    throw new AppError('smtp.insecure_refused', 'Quicksend only signs in over an encrypted connection.', {
      hint: 'Choose TLS (port 465) or STARTTLS (port 587) in the account settings.',
    });
  }
  const { timeouts } = context;
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
      // An extra CA adds to the system roots, it never replaces them.
      ...(smtp.extraCa ? { ca: [...rootCertificates, smtp.extraCa] } : {}),
      ...(isIP(smtp.host) ? {} : { servername: smtp.host }),
    },
    // Only a provisioned access token, never nodemailer's own refresh (it ignores rotated
    // refresh tokens, see TOOLCHAIN.md). Each pool connection builds its own XOAuth2 from these
    // options and, having no accessToken, asks `provision` (pool-resource.js, xoauth2 getToken).
    auth: { type: 'OAuth2', user: account.login, provisionCallback: context.provision },
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
