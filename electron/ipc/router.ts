/**
 * The IPC router: pure, shared by Electron's ipcMain adapter and the web host. It checks the
 * sender, parses the request with the contract's schema, calls the handler and maps typed
 * errors to stable codes. Handlers never see an unparsed payload.
 */
import type { Logger } from '../shared/logger';
import { AppError } from '../shared/errors';
import {
  channels,
  ipcErrorCodes,
  isChannel,
  resultSchema,
  type Channel,
  type ParsedRequestOf,
  type ResponseOf,
  type Result,
} from './contract';
import { describeIssues } from './request-issues';
import { isTrustedSender, type SenderFacts, type SenderPolicy } from './sender-policy';

export type HandlerContext = { sender: SenderFacts };

export type Handlers = {
  [K in Channel]: (request: ParsedRequestOf<K>, context: HandlerContext) => Promise<ResponseOf<K>>;
};

export type Router = {
  handle(channel: unknown, payload: unknown, sender: SenderFacts): Promise<Result<unknown>>;
};

export type RouterOptions = {
  handlers: Handlers;
  senderPolicy: SenderPolicy;
  logger: Logger;
  /** Check every response against its schema (tests, web host, development). */
  validateResponses?: boolean;
};

const failure = (code: string, message: string, hint?: string): Result<never> => ({
  ok: false,
  error: hint === undefined ? { code, message } : { code, message, hint },
});

export function createRouter(options: RouterOptions): Router {
  const { handlers, senderPolicy, logger } = options;
  const log = logger.child('router');

  return {
    async handle(channel, payload, sender) {
      if (!isChannel(channel)) {
        log.warn('refused unknown channel', { channel: String(channel).slice(0, 64) });
        return failure(ipcErrorCodes.unknownChannel, 'Quicksend does not know that request.');
      }
      if (!isTrustedSender(sender, senderPolicy)) {
        log.warn('refused untrusted sender', { channel, frameUrl: sender.frameUrl.slice(0, 200) });
        return failure(ipcErrorCodes.untrustedSender, 'That request did not come from a Quicksend window.');
      }
      // No defaulting: the bridge always sends an object, so null or undefined is malformed.
      const parsed = channels[channel].request.safeParse(payload);
      if (!parsed.success) {
        // Name the fields, never echo the values: they may hold anything.
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(request)'))];
        log.warn('refused malformed request', { channel, fields });
        // A limit the person can hit (a long subject, too many recipients) is said in plain words.
        const limit = describeIssues(parsed.error.issues);
        if (limit) return failure(ipcErrorCodes.invalidRequest, limit.message, limit.hint);
        return failure(ipcErrorCodes.invalidRequest, `The request was not understood (${fields.join(', ')}).`);
      }
      try {
        const handler = handlers[channel] as (req: unknown, ctx: HandlerContext) => Promise<unknown>;
        const value = await handler(parsed.data, { sender });
        if (options.validateResponses) {
          const check = resultSchema(channels[channel].response).safeParse({ ok: true, value });
          if (!check.success) throw new Error(`Response of ${channel} does not match its schema`);
        }
        return { ok: true, value };
      } catch (error) {
        if (error instanceof AppError) {
          return failure(error.code, error.message, error.hint);
        }
        log.error('handler failed', { channel, error });
        return failure(ipcErrorCodes.internal, 'Something went wrong inside Quicksend.', 'Try again; if it keeps happening, export diagnostics from Settings.');
      }
    },
  };
}
