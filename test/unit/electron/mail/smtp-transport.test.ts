import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { SendingAccount } from '../../../../electron/accounts/sending-account';
import { OAUTH_SASL_METHOD } from '../../../../electron/mail/smtp-oauth';
import {
  defaultSmtpTimeouts,
  ehloName,
  isLoopbackHost,
  transportOptions,
} from '../../../../electron/mail/smtp-transport';
import { type AppError } from '../../../../electron/shared/errors';

const accessToken = async () => 'token';
const account = (smtp: SendingAccount['smtp']): SendingAccount => ({
  id: 'a',
  providerId: 'google',
  login: 'me@gmail.com',
  fromAddress: 'me@gmail.com',
  displayName: '',
  smtp,
  attachmentLimitBytes: 1,
});
const context = (development = false) => ({
  development,
  timeouts: defaultSmtpTimeouts,
  accessToken,
  maxConnections: 2,
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['smtp.gmail.com', false],
    ['128.0.0.1', false],
    ['localhost.evil.com', false],
    ['::2', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('ehloName', () => {
  it('is the machine name when it is a full domain name, else an address literal (as nodemailer picks it)', () => {
    expect(ehloName(() => 'laptop.example.org')).toBe('laptop.example.org');
    expect(ehloName(() => 'laptop')).toBe('[127.0.0.1]');
    expect(ehloName(() => '10.1.2.3')).toBe('[10.1.2.3]');
    expect(
      ehloName(() => {
        throw new Error('no name');
      }),
    ).toBe('[127.0.0.1]');
  });
});

describe('transportOptions', () => {
  it('uses implicit TLS on tls (465) with TLS 1.2+, verification and SNI', () => {
    const options = transportOptions(account({ host: 'smtp.gmail.com', port: 465, security: 'tls' }), context());
    expect(options).toMatchObject({
      pool: true,
      secure: true,
      requireTLS: false,
      ignoreTLS: false,
      maxRequeues: 0,
      idleTimeout: 60_000,
      port: 465,
    });
    expect(options.tls).toEqual({ minVersion: 'TLSv1.2', rejectUnauthorized: true, servername: 'smtp.gmail.com' });
    // Our own SASL handler, never nodemailer's XOAUTH2 (which would refresh by itself).
    expect(options.auth).toEqual({ type: 'custom', user: 'me@gmail.com', pass: '', method: OAUTH_SASL_METHOD });
    expect(Object.keys(options.customAuth ?? {})).toEqual([OAUTH_SASL_METHOD]);
    expect(options).toMatchObject({ forceAuth: true, name: ehloName() });
    expect(options).not.toHaveProperty('auth.accessToken');
  });

  it('requires STARTTLS on starttls (587) and adds an extra CA to the system roots', () => {
    const options = transportOptions(
      account({ host: 'mail.example.org', port: 587, security: 'starttls', extraCa: 'PEM' }),
      context(),
    );
    expect(options).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
    expect(options.tls?.ca).toEqual([...rootCertificates, 'PEM']);
  });

  it('passes every timeout through', () => {
    const timeouts = { connectionMs: 1, greetingMs: 2, socketMs: 3, idleMs: 4, sendMs: 5 };
    const options = transportOptions(account({ host: 'smtp.gmail.com', port: 465, security: 'tls' }), {
      ...context(),
      timeouts,
    });
    expect(options).toMatchObject({
      connectionTimeout: 1,
      greetingTimeout: 2,
      socketTimeout: 3,
      idleTimeout: 4,
      dnsTimeout: 1,
    });
  });

  it('allows security none only for loopback under the development flag', () => {
    const refuse = (host: string, development: boolean) => {
      try {
        transportOptions(account({ host, port: 25, security: 'none' }), context(development));
        return 'allowed';
      } catch (error) {
        return (error as AppError).code;
      }
    };
    expect(refuse('127.0.0.1', true)).toBe('allowed');
    expect(refuse('127.0.0.1', false)).toBe('smtp.insecure_refused');
    expect(refuse('smtp.example.com', true)).toBe('smtp.insecure_refused');
    expect(transportOptions(account({ host: '127.0.0.1', port: 25, security: 'none' }), context(true))).toMatchObject({
      ignoreTLS: true,
      requireTLS: false,
      secure: false,
    });
  });
});
