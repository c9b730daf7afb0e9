/**
 * Reads the mail server's certificate without trusting it: connect, STARTTLS (or implicit TLS),
 * a TLS handshake that does not reject, then close. It never sends AUTH, a token or a message;
 * the only commands are EHLO and STARTTLS. Node still checks the chain against the same trust
 * as the transport (system roots plus the account's extra CA) and reports the verdict, so one
 * probe both names the issuer of an untrusted certificate and tells whether the server can be
 * trusted now (the outbox's check after a network change).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { SmtpEndpoint } from '../accounts/sending-account';
import { trustOptions } from './smtp-transport';

/** What the server's certificate says, and whether it verified. */
export type PeerCertificateFacts = {
  /** Distinguished names as Node prints them (`CN=...\nO=...`). */
  subject: string;
  issuer: string;
  /** DNS names and IP addresses the certificate is for. */
  names: string[];
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  /** The chain verified against the system roots plus the extra CA, and the name matched. */
  authorized: boolean;
  /** OpenSSL's or Node's code when not authorized (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ...). */
  authorizationError: string | null;
  nameMatches: boolean;
};

export type ProbeOptions = {
  /** The whole probe, connect to close. */
  timeoutMs: number;
  ehloName: string;
};

const MAX_REPLY = 64 * 1024;

/** Probes `endpoint`; rejects on network failure, timeout, or a server that will not start TLS. */
export function probeCertificate(endpoint: SmtpEndpoint, options: ProbeOptions): Promise<PeerCertificateFacts> {
  return new Promise((resolve, reject) => {
    const sockets: net.Socket[] = [];
    let settled = false;
    const finish = (error: Error | null, facts?: PeerCertificateFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Outermost first: destroying the plain socket under a live TLS socket crashed Node 20
      // (SIGSEGV, seen here); the TLS socket takes its underlying socket down with it.
      for (const socket of sockets.reverse()) socket.destroy();
      if (error) reject(error);
      else resolve(facts!);
    };
    const timer = setTimeout(() => finish(new Error('certificate probe timed out')), options.timeoutMs);

    const handshake = (plain?: net.Socket) => {
      const secure = tls.connect({
        ...(plain ? { socket: plain } : { host: endpoint.host, port: endpoint.port }),
        // Named for checkServerIdentity; SNI only for names (RFC 6066 3 forbids addresses).
        host: endpoint.host,
        ...(net.isIP(endpoint.host) ? {} : { servername: endpoint.host }),
        minVersion: 'TLSv1.2',
        // Not rejecting is what lets the probe read an untrusted certificate; nothing but
        // this handshake ever travels over this connection.
        rejectUnauthorized: false,
        ...trustOptions(endpoint),
      });
      sockets.push(secure);
      secure.on('error', (error) => finish(error));
      secure.once('secureConnect', () => {
        const cert = secure.getPeerCertificate();
        if (!cert || !cert.raw) return finish(new Error('the server presented no certificate'));
        const nameMatches = tls.checkServerIdentity(endpoint.host, cert) === undefined;
        finish(null, {
          subject: dn(cert.subject),
          issuer: dn(cert.issuer),
          names: namesOf(cert),
          validFrom: new Date(cert.valid_from).toISOString(),
          validTo: new Date(cert.valid_to).toISOString(),
          fingerprint256: cert.fingerprint256,
          authorized: secure.authorized,
          // Node keeps the code as a string here despite its typings (_tls_wrap.js onConnectSecure).
          authorizationError: secure.authorized ? null : String(secure.authorizationError),
          nameMatches,
        });
      });
    };

    if (endpoint.security === 'tls') return handshake();
    if (endpoint.security === 'none') return finish(new Error('this account does not use TLS'));

    const plain = net.connect({ host: endpoint.host, port: endpoint.port });
    sockets.push(plain);
    plain.on('error', (error) => finish(error));
    const steps: Array<{ expect: number; then: () => void }> = [
      { expect: 220, then: () => plain.write(`EHLO ${options.ehloName}\r\n`) },
      { expect: 250, then: () => plain.write('STARTTLS\r\n') },
      {
        expect: 220,
        then: () => {
          plain.removeListener('data', onData);
          handshake(plain);
        },
      },
    ];
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (buffer.length > MAX_REPLY) return finish(new Error('the server sent an over-long reply'));
      // A reply is complete at its last line: three digits and a space.
      let end: RegExpExecArray | null;
      while ((end = /(^|\n)(\d{3}) [^\n]*\n/.exec(buffer))) {
        const code = Number(end[2]);
        buffer = buffer.slice(end.index + end[0].length);
        const step = steps.shift();
        if (!step) return;
        if (code !== step.expect) return finish(new Error(`the server answered ${code} before TLS started`));
        step.then();
      }
    };
    plain.on('data', onData);
  });
}

/** Node's certificate name object (`{ CN, O, ... }`, values may repeat) as `CN=..\nO=..`. */
function dn(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .flatMap(([key, value]) =>
      (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`),
    )
    .join('\n');
}

/** The names a certificate is for: its subject alternative names, or (old certificates) its CN. */
function namesOf(cert: tls.PeerCertificate): string[] {
  const alt = (cert.subjectaltname ?? '')
    .split(', ')
    .filter(Boolean)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''));
  if (alt.length) return alt;
  const cn = cert.subject?.CN;
  return cn === undefined ? [] : Array.isArray(cn) ? cn : [cn];
}
