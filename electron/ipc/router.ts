/**
 * The IPC router: pure, shared by Electron's ipcMain adapter and the web host. It checks the
 * sender, parses the request with the contract's schema, calls the handler and maps typed
 * errors to stable codes. Handlers never see an unparsed payload.
 */
import type { Logger } from '../shared/logger';
import { AppError } from '../shared/errors';
import type { ErrorCode } from '../shared/error-codes';
import type { z } from 'zod';
import {
  channels,
  ipcErrorCodes,
  isChannel,
  isPreloadChannel,
  preloadChannels,
  resultSchema,
  type Channel,
  type ParsedRequestOf,
  type PreloadChannel,
  type PreloadRequestOf,
  type PreloadResponseOf,
  type ResponseOf,
  type Result,
} from './contract';
import { describeIssues, FILE_PATH_REFUSED, namesFilePath } from './request-issues';
import { isTrustedSender, type SenderFacts, type SenderPolicy } from './sender-policy';

export type HandlerContext = { sender: SenderFacts };

export type Handlers = {
  [K in Channel]: (request: ParsedRequestOf<K>, context: HandlerContext) => Promise<ResponseOf<K>>;
};

/** Handlers of the channels only the preload calls (contract.ts `preloadChannels`). */
export type PreloadHandlers = {
  [K in PreloadChannel]: (request: PreloadRequestOf<K>, context: HandlerContext) => Promise<PreloadResponseOf<K>>;
};

export type Router = {
  /** A contract channel, as `window.quicksend` (or the web host) calls it. */
  handle(channel: unknown, payload: unknown, sender: SenderFacts): Promise<Result<unknown>>;
  /**
   * A preload-only channel. Only the Electron adapter calls this: no bridge method and no web
   * host route leads here, so a page script cannot reach it.
   */
  handlePreload(channel: unknown, payload: unknown, sender: SenderFacts): Promise<Result<unknown>>;
};

export type RouterOptions = {
  handlers: Handlers;
  /** Without them every preload channel is unknown. */
  preloadHandlers?: PreloadHandlers;
  senderPolicy: SenderPolicy;
  logger: Logger;
  /** Check every response against its schema (tests, web host, development). */
  validateResponses?: boolean;
};

const failure = (code: ErrorCode, message: string, hint?: string): Result<never> => ({
  ok: false,
  error: hint === undefined ? { code, message } : { code, message, hint },
});

export function createRouter(options: RouterOptions): Router {
  const { handlers, senderPolicy, logger } = options;
  const log = logger.child('router');

  type Route = {
    request: z.ZodType;
    response: z.ZodType;
    handler: (req: unknown, ctx: HandlerContext) => Promise<unknown>;
  };

  async function run(channel: string, route: Route, payload: unknown, sender: SenderFacts): Promise<Result<unknown>> {
    if (!isTrustedSender(sender, senderPolicy)) {
      log.warn('refused untrusted sender', { channel, frameUrl: sender.frameUrl.slice(0, 200) });
      return failure(ipcErrorCodes.untrustedSender, 'That request did not come from a Quicksend window.');
    }
    // No defaulting: the bridge always sends an object, so null or undefined is malformed.
    const parsed = route.request.safeParse(payload);
    if (!parsed.success) {
      // Name the fields, never echo the values: they may hold anything.
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(request)'))];
      log.warn('refused malformed request', { channel, fields });
      // A file path from the renderer is refused as such (issue 13 item 2): files enter only
      // through main, and the renderer names them by file id.
      if (namesFilePath(parsed.error.issues))
        return failure(FILE_PATH_REFUSED.code, FILE_PATH_REFUSED.message, FILE_PATH_REFUSED.hint);
      // A limit the person can hit (a long subject, too many recipients) is said in plain words.
      const limit = describeIssues(parsed.error.issues);
      if (limit) return failure(ipcErrorCodes.invalidRequest, limit.message, limit.hint);
      return failure(ipcErrorCodes.invalidRequest, `The request was not understood (${fields.join(', ')}).`);
    }
    try {
      const value = await route.handler(parsed.data, { sender });
      if (options.validateResponses) {
        const check = resultSchema(route.response).safeParse({ ok: true, value });
        if (!check.success) throw new Error(`Response of ${channel} does not match its schema`);
      }
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) {
        return failure(error.code, error.message, error.hint);
      }
      log.error('handler failed', { channel, error });
      return failure(
        ipcErrorCodes.internal,
        'Something went wrong inside Quicksend.',
        'Try again; if it keeps happening, export diagnostics from Settings.',
      );
    }
  }

  const unknownChannel = (channel: unknown) => {
    log.warn('refused unknown channel', { channel: String(channel).slice(0, 64) });
    return failure(ipcErrorCodes.unknownChannel, 'Quicksend does not know that request.');
  };

  return {
    async handle(channel, payload, sender) {
      if (!isChannel(channel)) return unknownChannel(channel);
      const handler = handlers[channel] as Route['handler'];
      return run(channel, { ...channels[channel], handler }, payload, sender);
    },
    async handlePreload(channel, payload, sender) {
      const preloadHandlers = options.preloadHandlers;
      if (!isPreloadChannel(channel) || !preloadHandlers) return unknownChannel(channel);
      const handler = preloadHandlers[channel] as Route['handler'];
      return run(channel, { ...preloadChannels[channel], handler }, payload, sender);
    },
  };
}
