/**
 * The one IPC contract between the renderer and main: every channel (`domain:action`) with the
 * zod schema of its request and of its response value, and every event with its payload schema.
 * The renderer may `import type` from this file only. Responses and events have schemas too,
 * so a test can walk them all and prove no secret field can ever cross the bridge.
 */
import { z } from 'zod';

/** Longest string any request field may carry unless its schema says otherwise. */
export const MAX_STRING = 4096;

export const errorInfoSchema = z
  .object({ code: z.string(), message: z.string(), hint: z.string().optional() })
  .strict();

/** `Result<T>` as a schema, for response checks in tests and the web host. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: errorInfoSchema }).strict(),
  ]);
}

const noRequest = z.object({}).strict();

export const accountHealthSchema = z.enum(['ready', 'refreshing', 'needs-sign-in', 'session-only']);

export const accountSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    address: z.string(),
    fromAddress: z.string(),
    health: accountHealthSchema,
    lastUsedAt: z.string().nullable(),
  })
  .strict();

export const appInfoSchema = z
  .object({
    name: z.literal('Quicksend'),
    version: z.string(),
    platform: z.string(),
    development: z.boolean(),
    dataDirectory: z.enum(['ready', 'unwritable']),
  })
  .strict();

export const channels = {
  'app:info': { request: noRequest, response: appInfoSchema },
  'accounts:list': { request: noRequest, response: z.array(accountSchema) },
} as const;

export const events = {
  'accounts:changed': z.object({ accounts: z.array(accountSchema) }).strict(),
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
export type RequestOf<K extends Channel> = z.input<(typeof channels)[K]['request']>;
export type ParsedRequestOf<K extends Channel> = z.output<(typeof channels)[K]['request']>;
export type ResponseOf<K extends Channel> = z.output<(typeof channels)[K]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;
export type Account = z.output<typeof accountSchema>;
export type AppInfo = z.output<typeof appInfoSchema>;
export type ErrorInfo = z.output<typeof errorInfoSchema>;
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The shape of `window.quicksend`, derived from the channels above. */
type Split<S extends string> = S extends `${infer D}:${infer A}` ? [D, A] : never;
type Domains = Split<Channel>[0];
type MethodsOf<D extends string> = {
  [K in Channel as Split<K>[0] extends D ? Split<K>[1] : never]: {} extends RequestOf<K>
    ? (request?: RequestOf<K>) => Promise<Result<ResponseOf<K>>>
    : (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
};

export type QuicksendApi = { [D in Domains]: MethodsOf<D> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
};

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** Stable codes of the IPC layer itself; domain codes live with their domains. */
export const ipcErrorCodes = {
  unknownChannel: 'ipc.unknown_channel',
  untrustedSender: 'ipc.untrusted_sender',
  invalidRequest: 'ipc.invalid_request',
  internal: 'internal',
} as const;
