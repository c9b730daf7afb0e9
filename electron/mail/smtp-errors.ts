/**
 * Turns an SMTP reply or a nodemailer error into plain words, a fix, and what to do about it:
 * `retry` (4xx, timeouts, dropped connections), `reauthenticate` (535 and friends: drop the
 * token, refresh, retry once, then the account needs sign-in) or `fail` (other 5xx, explained).
 * Classes follow ../shared/data/provider-errors.json, whose entries the tests run through.
 */
import { decodeChallenge, networkProblem, replyRules, type Rule } from './smtp-reply-rules';

/** The class of a failure, as in provider-errors.json. */
export type SmtpErrorClass = 'transient' | 'auth' | 'needs-sign-in' | 'policy' | 'user-action' | 'permanent';
/** What the outbox does with it. */
export type SmtpAction = 'retry' | 'reauthenticate' | 'fail';
/** Which layer failed, for `accounts:test` and the outbox view. */
export type SmtpLayer = 'network' | 'tls' | 'authentication' | 'policy' | 'message';

export type DecodedSmtpError = {
  class: SmtpErrorClass;
  action: SmtpAction;
  layer: SmtpLayer;
  /** Stable code for the UI (`smtp.transient`, `smtp.auth`, `smtp.network`, ...). */
  code: string;
  /** Plain words, ending with the server's own first line when there was one. */
  message: string;
  hint: string;
  replyCode: number | null;
  enhanced: string | null;
};

/** The action each class leads to. */
export function actionFor(cls: SmtpErrorClass): SmtpAction {
  if (cls === 'transient') return 'retry';
  if (cls === 'auth' || cls === 'needs-sign-in') return 'reauthenticate';
  return 'fail';
}

function build(rule: Pick<Rule, 'class' | 'message' | 'hint'> & { layer?: SmtpLayer }, reply: string | null, replyCode: number | null, enhanced: string | null, fallbackLayer: SmtpLayer): DecodedSmtpError {
  const firstLine = reply?.split(/\r?\n/)[0]?.trim().slice(0, 200);
  const layer = rule.layer ?? (rule.class === 'policy' ? 'policy' : rule.class === 'auth' || rule.class === 'needs-sign-in' ? 'authentication' : fallbackLayer);
  return {
    class: rule.class,
    action: actionFor(rule.class),
    layer,
    code: `smtp.${rule.class.replaceAll('-', '_')}`,
    message: firstLine ? `${rule.message} (the server said: "${firstLine}")` : rule.message,
    hint: rule.hint,
    replyCode,
    enhanced,
  };
}

/** Decodes one server reply (any phase). `replyCode` wins over the code found in the text. */
export function decodeSmtpReply(reply: string, replyCode?: number | null, layer: SmtpLayer = 'message'): DecodedSmtpError {
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
    return build({ class: 'transient', message: 'The mail server could not take the message just now.', hint: 'Quicksend tries again by itself.' }, text, code, enhanced, layer);
  }
  if (effective !== null && effective >= 500) {
    return build({ class: 'permanent', message: 'The mail server refused the message.', hint: 'Read what the server said; if it is unclear, ask your mail provider.' }, text, code, enhanced, layer);
  }
  return build({ class: 'transient', message: 'The mail server gave an answer Quicksend did not expect.', hint: 'Quicksend tries again by itself.' }, text, code, enhanced, layer);
}

type NodemailerLike = { code?: unknown; responseCode?: unknown; response?: unknown; command?: unknown; message?: unknown; cause?: unknown };

/** Decodes whatever a send or verify threw: a server reply, a network or TLS failure, a timeout. */
export function decodeSendError(error: unknown): DecodedSmtpError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as NodemailerLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = typeof e.response === 'string' ? e.response : null;
  const command = typeof e.command === 'string' ? e.command : '';
  if (response && replyCode !== null) {
    const phase: SmtpLayer = code === 'EAUTH' || /^AUTH/i.test(command) ? 'authentication' : code === 'EPROTOCOL' || command === 'CONN' ? 'network' : 'message';
    return decodeSmtpReply(response, replyCode, phase);
  }
  const problem = networkProblem(code, String(e.message ?? ''), e.cause);
  return build(problem, null, null, null, problem.layer ?? 'network');
}
