/**
 * Whether an account's mail server can be trusted, decided by a probe that never signs in (see
 * certificate-probe.ts): after a certificate failure it names the issuer and the fix, and after
 * a network change it says whether messages parked for the certificate may go again.
 */
import type { SendingAccount } from '../accounts/sending-account';
import type { Logger } from '../shared/logger';
import { probeCertificate, type PeerCertificateFacts } from './certificate-probe';
import {
  certificateProblemOf,
  explainCertificate,
  refineProblem,
  type CertificateProblem,
} from './certificate-problem';
import { decodeSendError, type DecodedSmtpError } from './smtp-errors';

export type TrustCheckOptions = {
  timeoutMs: number;
  ehloName: string;
  now(): number;
  log: Logger;
};

/** `unknown`: the probe could not reach the server, so nothing is known about its certificate. */
export type TrustVerdict =
  | { verdict: 'trusted' }
  | { verdict: 'untrusted'; error: DecodedSmtpError }
  | { verdict: 'unknown'; error: DecodedSmtpError };

async function probe(account: SendingAccount, options: TrustCheckOptions): Promise<PeerCertificateFacts | Error> {
  return probeCertificate(account.smtp, { timeoutMs: options.timeoutMs, ehloName: options.ehloName }).catch(
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
}

function failure(
  account: SendingAccount,
  problem: CertificateProblem,
  facts: PeerCertificateFacts | null,
  options: TrustCheckOptions,
): DecodedSmtpError {
  const words = explainCertificate(problem, facts, { host: account.smtp.host, login: account.login });
  // Certificate facts are public; they help whoever reads a diagnostics export.
  options.log.warn('server certificate not trusted', {
    accountId: account.id,
    problem,
    ...(facts
      ? {
          subject: facts.subject,
          issuer: facts.issuer,
          names: facts.names.join(', '),
          fingerprint256: facts.fingerprint256,
          authorizationError: facts.authorizationError,
        }
      : {}),
  });
  return {
    class: 'certificate',
    action: 'check-certificate',
    layer: 'tls',
    code: words.code,
    message: words.message,
    hint: words.hint,
    replyCode: null,
    enhanced: null,
    certificate: problem,
  };
}

/** Explains the certificate failure a send or test just met, naming what the probe saw. */
export async function explainCertificateFailure(
  account: SendingAccount,
  reported: CertificateProblem,
  options: TrustCheckOptions,
): Promise<DecodedSmtpError> {
  const facts = await probe(account, options);
  if (facts instanceof Error) return failure(account, reported, null, options);
  if (facts.authorized) {
    // Trusted a moment later (a captive portal let go): an ordinary transient failure.
    return {
      class: 'transient',
      action: 'retry',
      layer: 'tls',
      code: 'smtp.transient',
      message: "The secure connection failed once, but the mail server's certificate checks out now.",
      hint: 'Quicksend tries again by itself.',
      replyCode: null,
      enhanced: null,
    };
  }
  return failure(account, refineProblem(reported, facts, options.now()), facts, options);
}

/** The check after a network change or at start-up, for messages parked for the certificate. */
export async function checkServerTrust(account: SendingAccount, options: TrustCheckOptions): Promise<TrustVerdict> {
  const facts = await probe(account, options);
  if (facts instanceof Error) return { verdict: 'unknown', error: decodeSendError(facts) };
  if (facts.authorized) return { verdict: 'trusted' };
  const reported = certificateProblemOf([facts.authorizationError ?? ''], '') ?? 'invalid';
  return {
    verdict: 'untrusted',
    error: failure(account, refineProblem(reported, facts, options.now()), facts, options),
  };
}
