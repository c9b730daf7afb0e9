/**
 * Turns an SMTP reply or a nodemailer error into plain words, a fix, and what to do about it:
 * `retry` (4xx, timeouts, dropped connections), `reauthenticate` (535 and friends: drop the
 * token, refresh, retry once, then the account needs sign-in), `check-certificate` (the server's
 * certificate did not verify: wait for the person or a network change) or `fail` (other 5xx,
 * explained). Classes follow test/fixtures/provider-errors.json, whose entries the tests run
 * through, plus `certificate`, which no server reply carries.
 */
import { isErrorCode, type ErrorCode } from '../shared/error-codes';
import type { CertificateProblem } from './certificate-problem';
import {
  decodeChallenge,
  networkProblem,
  replyRules,
  type Rule,
  type SmtpAction,
  type SmtpErrorClass,
  type SmtpLayer,
} from './smtp-reply-rules';

export type { SmtpAction, SmtpErrorClass, SmtpLayer } from './smtp-reply-rules';

/** The code each reply class is shown with; the compiler checks each is one of ours. */
const SMTP_CLASS_CODES: Record<SmtpErrorClass, ErrorCode> = {
  transient: 'smtp.transient',
  auth: 'smtp.auth',
  'needs-sign-in': 'smtp.needs_sign_in',
  policy: 'smtp.policy',
  'user-action': 'smtp.user_action',
  permanent: 'smtp.permanent',
  certificate: 'smtp.certificate',
};

export type DecodedSmtpError = {
  class: SmtpErrorClass;
  action: SmtpAction;
  layer: SmtpLayer;
  /** Stable code for the UI (`smtp.transient`, `smtp.auth`, `smtp.network`, ...). */
  code: ErrorCode;
  /** Plain words, ending with the server's own first line when there was one. */
  message: string;
  hint: string;
  replyCode: number | null;
  enhanced: string | null;
  /** For class `certificate`: what was wrong with the server's certificate. */
  certificate?: CertificateProblem;
};

/** The action each class leads to. */
export function actionFor(cls: SmtpErrorClass): SmtpAction {
  if (cls === 'transient') return 'retry';
  if (cls === 'auth' || cls === 'needs-sign-in') return 'reauthenticate';
  if (cls === 'certificate') return 'check-certificate';
  return 'fail';
}

function build(
  rule: Pick<Rule, 'class' | 'message' | 'hint' | 'certificate'> & { layer?: SmtpLayer },
  reply: string | null,
  replyCode: number | null,
  enhanced: string | null,
  fallbackLayer: SmtpLayer,
): DecodedSmtpError {
  const firstLine = reply?.split(/\r?\n/)[0]?.trim().slice(0, 200);
  const layer =
    rule.layer ??
    (rule.class === 'policy'
      ? 'policy'
      : rule.class === 'auth' || rule.class === 'needs-sign-in'
        ? 'authentication'
        : fallbackLayer);
  return {
    class: rule.class,
    action: actionFor(rule.class),
    layer,
    code: SMTP_CLASS_CODES[rule.class],
    message: firstLine ? `${rule.message} (the server said: "${firstLine}")` : rule.message,
    hint: rule.hint,
    replyCode,
    enhanced,
    ...(rule.certificate ? { certificate: rule.certificate } : {}),
  };
}

/** Decodes one server reply (any phase). `replyCode` wins over the code found in the text. */
export function decodeSmtpReply(
  reply: string,
  replyCode?: number | null,
  layer: SmtpLayer = 'message',
): DecodedSmtpError {
  const text = reply.trim();
  const code = replyCode ?? (Number(/^(\d{3})[ -:]/.exec(text)?.[1]) || null);
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1] ?? null;
  const challenge = decodeChallenge(text, code);
  const subject = { text: challenge ?? text, code, enhanced, challenge: challenge !== null };
  for (const rule of replyRules) {
    if (rule.test(subject)) return build(rule, text, code, enhanced, layer);
  }
  const effective = code ?? (enhanced ? Number(enhanced[0]) * 100 : null);
  if (effective !== null && effective >= 400 && effective < 500) {
    return build(
      {
        class: 'transient',
        message: 'The mail server could not take the message just now.',
        hint: 'Quicksend tries again by itself.',
      },
      text,
      code,
      enhanced,
      layer,
    );
  }
  if (effective !== null && effective >= 500) {
    return build(
      {
        class: 'permanent',
        message: 'The mail server refused the message.',
        hint: 'Read what the server said; if it is unclear, ask your mail provider.',
      },
      text,
      code,
      enhanced,
      layer,
    );
  }
  return build(
    {
      class: 'transient',
      message: 'The mail server gave an answer Quicksend did not expect.',
      hint: 'Quicksend tries again by itself.',
    },
    text,
    code,
    enhanced,
    layer,
  );
}

type NodemailerLike = {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
  cause?: unknown;
  hint?: unknown;
};

/** Our own codes look like `auth.needs_sign_in`; nodemailer's and the system's like `EAUTH`. */
const OWN_CODE = /^[a-z]+\.[a-z_]+$/;

/**
 * Our AppError, wherever nodemailer wrapped it: an error thrown in a SASL handler keeps its
 * object but gets `code: 'EAUTH'`, with ours moved to `originalCode` (smtp-connection
 * _formatError), and maybe a server reply appended to its message.
 */
function ownFailure(error: unknown): DecodedSmtpError | null {
  for (
    let e = error as NodemailerLike | undefined, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = e.cause as NodemailerLike | undefined, depth += 1
  ) {
    const own = [e.originalCode, e.code].find(
      (c): c is ErrorCode => typeof c === 'string' && OWN_CODE.test(c) && isErrorCode(c),
    );
    if (!own) continue;
    const hint = typeof e.hint === 'string' ? e.hint : null;
    const base = { replyCode: null, enhanced: null };
    if (own === 'auth.needs_sign_in') {
      return {
        ...base,
        class: 'needs-sign-in',
        action: 'reauthenticate',
        layer: 'authentication',
        code: own,
        message: 'The account needs you to sign in again before it can send.',
        hint: hint ?? 'Open Accounts and choose "Sign in again".',
      };
    }
    if (own === 'smtp.token_unavailable') {
      return {
        ...base,
        class: 'transient',
        action: 'retry',
        layer: 'authentication',
        code: own,
        message: 'Quicksend could not refresh the sign-in for this account.',
        hint: 'Quicksend tries again by itself when the provider can be reached.',
      };
    }
    // nodemailer appends the last server reply to the message; ours reads better without it.
    const raw = String(e.message ?? own);
    const reply = typeof e.response === 'string' ? `: ${e.response}` : '';
    const message = reply && raw.endsWith(reply) ? raw.slice(0, -reply.length) : raw;
    return {
      ...base,
      class: 'permanent',
      action: 'fail',
      layer: 'authentication',
      code: own,
      message,
      hint: hint ?? '',
    };
  }
  return null;
}

/** Decodes whatever a send or verify threw: a server reply, a network or TLS failure, a timeout. */
export function decodeSendError(error: unknown): DecodedSmtpError {
  const own = ownFailure(error);
  if (own) return own;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as NodemailerLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const originalCode = typeof e.originalCode === 'string' ? e.originalCode : '';
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = typeof e.response === 'string' ? e.response : null;
  const command = typeof e.command === 'string' ? e.command : '';
  if (response && replyCode !== null) {
    const phase: SmtpLayer =
      code === 'EAUTH' || /^AUTH/i.test(command)
        ? 'authentication'
        : code === 'EPROTOCOL' || command === 'CONN'
          ? 'network'
          : 'message';
    return decodeSmtpReply(response, replyCode, phase);
  }
  const problem = networkProblem(code, String(e.message ?? ''), e.cause, originalCode);
  return build(problem, null, null, null, problem.layer ?? 'network');
}
