// An SmtpSender that answers from a script, records every call, and can hold a send open
// (to test cancel-while-sending and crashes mid-send) until the test releases it.
import { Readable } from 'node:stream';
import type Mail from 'nodemailer/lib/mailer';
import type { RecipientReply } from '../../electron/mail/envelope';
import { decodeSendError, decodeSmtpReply, type DecodedSmtpError } from '../../electron/mail/smtp-errors';
import type { TrustVerdict } from '../../electron/mail/server-trust';
import type { SendOutcome, SmtpSender, VerifyOutcome } from '../../electron/mail/smtp-sender';

/**
 * `rcpt`: replies at RCPT TO by address (`'550 5.1.1 User unknown'`); the other recipients of
 * the envelope are taken. With every one of them answered, the send fails as nodemailer's does.
 */
export type ScriptStep =
  | 'ok'
  | 'hold'
  | { reply: string }
  | { network: string }
  | { tokenNeedsSignIn: true }
  | { untrustedServer: true }
  | { rcpt: Record<string, string> };
/** `envelopeTo`: who the RCPT TOs went to. */
export type SentCall = { accountId: string; messageId: string; subject: string; at: number; envelopeTo: string[] };

export type ScriptedSender = SmtpSender & {
  /** Steps used in order; when empty every send succeeds. */
  script: ScriptStep[];
  calls: SentCall[];
  closed: string[];
  /** Resolves held sends with `outcome` (default ok). */
  release(outcome?: ScriptStep): void;
  held(): number;
  verifyOutcome: VerifyOutcome;
  /** What `checkServer` answers next (default trusted); every call is recorded in `checks`. */
  serverVerdicts: TrustVerdict[];
  checks: string[];
};

/** A certificate failure as the sender reports it after its probe. */
export const untrustedServer: DecodedSmtpError = {
  class: 'certificate',
  action: 'check-certificate',
  layer: 'tls',
  code: 'smtp.certificate_untrusted',
  certificate: 'untrusted',
  message:
    'The mail server identified itself with a certificate issued by "Test CA", which this computer does not trust.',
  hint: 'Add it under "Extra certificate authority".',
  replyCode: null,
  enhanced: null,
};

const needsSignIn: DecodedSmtpError = {
  class: 'needs-sign-in',
  action: 'reauthenticate',
  layer: 'authentication',
  code: 'auth.needs_sign_in',
  message: 'Sign in again.',
  hint: 'Open Accounts.',
  replyCode: null,
  enhanced: null,
};

export function createScriptedSender(now: () => number): ScriptedSender {
  const waiting: Array<(step: ScriptStep) => void> = [];
  function outcomeOf(step: ScriptStep, messageId: string, envelopeTo: string[]): SendOutcome {
    if (step === 'ok' || step === 'hold') return { ok: true, attempts: 1, messageId, response: '250 OK' };
    if ('rcpt' in step) {
      const rejected: RecipientReply[] = envelopeTo.flatMap((address) => {
        const reply = step.rcpt[address];
        return reply ? [{ address, reply, replyCode: Number(reply.slice(0, 3)) }] : [];
      });
      const accepted = envelopeTo.filter((a) => !step.rcpt[a]);
      if (accepted.length > 0)
        return { ok: true, attempts: 1, messageId, response: '250 OK', recipients: { accepted, rejected } };
      // nodemailer reports a deferral when there is one (smtp-connection _envelopeError)
      const reported = rejected.find((r) => (r.replyCode ?? 0) < 500) ?? rejected.at(-1)!;
      return { ok: false, attempts: 1, error: decodeSmtpReply(reported.reply), rejected };
    }
    if ('reply' in step) {
      const error = decodeSmtpReply(step.reply);
      return { ok: false, attempts: error.action === 'reauthenticate' ? 2 : 1, error };
    }
    if ('network' in step)
      return { ok: false, attempts: 1, error: decodeSendError({ code: step.network, message: step.network }) };
    if ('untrustedServer' in step) return { ok: false, attempts: 1, error: untrustedServer };
    return { ok: false, attempts: 0, error: needsSignIn };
  }
  const sender: ScriptedSender = {
    script: [],
    calls: [],
    closed: [],
    verifyOutcome: { ok: true },
    serverVerdicts: [],
    checks: [],
    async send(accountId: string, input: Mail.Options | (() => Mail.Options)) {
      const message = typeof input === 'function' ? input() : input;
      // Nothing reads the attachment streams here; close them rather than leak their files.
      for (const attachment of message.attachments ?? [])
        if (attachment.content instanceof Readable) attachment.content.destroy();
      const messageId = String(message.messageId);
      const envelopeTo = (message.envelope as { to?: string[] } | undefined)?.to ?? [];
      sender.calls.push({ accountId, messageId, subject: String(message.subject), at: now(), envelopeTo });
      const step = sender.script.shift() ?? 'ok';
      if (step === 'hold')
        return outcomeOf(await new Promise<ScriptStep>((resolve) => waiting.push(resolve)), messageId, envelopeTo);
      return outcomeOf(step, messageId, envelopeTo);
    },
    async verify() {
      return sender.verifyOutcome;
    },
    async checkServer(accountId) {
      sender.checks.push(accountId);
      return sender.serverVerdicts.shift() ?? { verdict: 'trusted' };
    },
    close(accountId) {
      sender.closed.push(accountId);
    },
    closeAll() {
      sender.closed.push('*');
    },
    release(step = 'ok') {
      for (const resolve of waiting.splice(0)) resolve(step);
    },
    held: () => waiting.length,
  };
  return sender;
}
