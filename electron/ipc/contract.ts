/**
 * The one IPC contract between the renderer and main: every channel (`domain:action`) with the
 * zod schema of its request and of its response value, and every event with its payload schema.
 * The renderer may `import type` from this file only (its one value import is the message rules,
 * mail/message-rules.ts, whose limits bound the schemas here). Responses and events have schemas
 * too, so a test can walk them all and prove no secret field can ever cross the bridge.
 */
import { z } from 'zod';
import { checkAddress, describeProblem } from '../mail/address-rules';
import { hasControlCharacter } from '../mail/header-text';
import { MESSAGE_LIMITS } from '../mail/message-rules';

/**
 * The limits of one message (recipients, files, field lengths), the same set the composer checks
 * and main enforces; `mail:send` and drafts are bounded by them below.
 */
export { MESSAGE_LIMITS } from '../mail/message-rules';

/** Longest string any request field may carry unless its schema says otherwise. */
export const MAX_STRING = 4096;

/** `Result<T>` as a schema, for response checks in tests and the web host. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: errorInfoSchema }).strict(),
  ]);
}

const noRequest = z.object({}).strict();
const text = (max = MAX_STRING) => z.string().max(max);
const id = z.string().min(1).max(128);
/** An address as typed; the mail domain validates it properly (RFC 5322, IDN). */
const address = z.string().min(3).max(MESSAGE_LIMITS.maxAddressLength);
/** One recipient field; main also checks To, Cc and Bcc together against `maxRecipients`. */
const addressList = z.array(address).max(MESSAGE_LIMITS.maxRecipients);
const subject = text(MESSAGE_LIMITS.maxSubjectLength);
const messageText = z.string().max(MESSAGE_LIMITS.maxTextLength);
/** Any list of files a message or a drop may carry. */
const fileList = <T extends z.ZodType>(item: T) => z.array(item).max(MESSAGE_LIMITS.maxAttachments);
/** A local path; only main and the preload's drop channel use paths, never the renderer. */
const filePath = z.string().min(1).max(4096);
/**
 * A file id: the opaque name main hands out for a file the person gave (a drop, main's file
 * dialog, `--compose --attach`, a tray drop, a restored draft). 128 random bits in base64url,
 * valid for this run only (files/file-registry.ts). The renderer holds these, never paths.
 */
export const fileIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
const isoTime = z.string().max(64);
/**
 * Text that ends up in a header (a display name): no line breaks or control characters, as
 * `mail:send` requires of its fields. Messages written here reach the person through the
 * router, so they name the field and never repeat the value.
 */
const headerText = (max: number, label: string) =>
  text(max).refine((value) => !hasControlCharacter(value), {
    error: `${label} contains a line break or control character, which is not allowed there.`,
  });
/** A bare address for the From header, checked like a recipient of `mail:send`. */
const fromAddress = address.superRefine((value, context) => {
  if (hasControlCharacter(value)) {
    context.addIssue({
      code: 'custom',
      message: 'The From address contains a line break or control character, which is not allowed there.',
    });
    return;
  }
  const problem = checkAddress(value.trim());
  if (problem) context.addIssue({ code: 'custom', message: `The From address ${describeProblem(problem)}.` });
});
/** An outbox id as Quicksend makes them (outbox-store's newOutboxId): base36 time, dash, 12 hex. */
const outboxId = z.string().regex(/^[0-9a-z]{9,12}-[0-9a-f]{12}$/);

/**
 * Quicksend's own error codes, by domain (the list lives in shared/error-codes.ts so the
 * ground floor can use it). On the wire `code` stays a string: outbox and history entries
 * saved by another version may carry a code this one does not know, and must still load.
 */
import { isErrorCode, type ErrorCode } from '../shared/error-codes';
export { ALL_ERROR_CODES, ERROR_CODES, type ErrorCode, type ErrorDomain } from '../shared/error-codes';

/**
 * A code read from the wire or from disk is one of ours, or becomes `app.unknown_code` (a newer
 * version's entry: its message and hint still say what happened), so code that branches on
 * codes sees only the union and the compiler checks every switch.
 */
export const errorCodeSchema = z
  .string()
  .transform((code): ErrorCode => (isErrorCode(code) ? code : 'app.unknown_code'));

export const errorInfoSchema = z
  .object({ code: errorCodeSchema, message: z.string(), hint: z.string().optional() })
  .strict();

// ---- providers -------------------------------------------------------------------------

/**
 * Authorization request parameters a custom provider may add (a Google Workspace `hd`, an Entra
 * `domain_hint`, a `resource` or `audience` for the mail API). Everything else in the request
 * is Quicksend's: state, nonce, PKCE, redirect, scope, prompt, client id, and `request` /
 * `request_uri`, which could smuggle all of them in one go.
 */
export const EXTRA_AUTHORIZATION_PARAMS = [
  'access_type',
  'audience',
  'domain_hint',
  'hd',
  'login_hint',
  'resource',
  'ui_locales',
] as const;
// The keys are checked on the raw payload: zod's record quietly drops a `__proto__` key, which
// must be refused, not ignored.
const extraAuthorizationParams = z
  .unknown()
  .superRefine((params, context) => {
    if (typeof params !== 'object' || params === null) return;
    const refused = Object.keys(params).filter(
      (key) => !(EXTRA_AUTHORIZATION_PARAMS as readonly string[]).includes(key),
    );
    if (refused.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `A provider may not set the sign-in parameter${refused.length > 1 ? 's' : ''} ${refused.map((key) => JSON.stringify(key.slice(0, 64))).join(', ')}; Quicksend sets the security parameters itself. Allowed: ${EXTRA_AUTHORIZATION_PARAMS.join(', ')}.`,
      });
    }
  })
  .pipe(
    z.partialRecord(
      z.enum(EXTRA_AUTHORIZATION_PARAMS),
      text(256).refine((value) => !hasControlCharacter(value), {
        error: 'An extra sign-in parameter contains a line break or control character.',
      }),
    ),
  );

export const smtpSecuritySchema = z.enum(['tls', 'starttls', 'none']);
/** A PEM certificate as chosen or pasted; main checks it (electron/mail/ca-certificate.ts, 16 kB). */
const pemText = text(64 * 1024);
export const smtpSettingsSchema = z
  .object({
    host: text(253).min(1),
    port: z.number().int().min(1).max(65535),
    security: smtpSecuritySchema,
    /** An extra certificate authority (PEM) for a company or self-hosted server; adds to the system roots. */
    extraCa: pemText.optional(),
    /** Sign in with OAUTHBEARER (RFC 7628) when the server offers it beside XOAUTH2. */
    preferOAuthBearer: z.boolean().optional(),
  })
  .strict();

/** A certificate authority as people check it: who it is and its SHA-256 fingerprint. */
export const caCertificateSchema = z
  .object({ subject: z.string(), fingerprint256: z.string(), validTo: isoTime })
  .strict();

export const providerSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['google', 'microsoft', 'custom', 'sandbox']),
    name: z.string(),
    /** A client id is known (from settings or the build). */
    configured: z.boolean(),
    clientIdSource: z.enum(['settings', 'build', 'none']),
    /** Google desktop clients come with a (non-confidential) secret. */
    needsClientSecret: z.boolean(),
    hasClientSecret: z.boolean(),
    /** Exactly what to register at the provider (RFC 8252 loopback form). */
    redirectUri: z.string(),
    scopes: z.array(z.string()),
    smtp: smtpSettingsSchema,
    attachmentLimitBytes: z.number(),
    supportsRevocation: z.boolean(),
    helpUrl: z.string().optional(),
  })
  .strict();

/** Whether a discovery document lists something: `not-published` when it has no such list. */
export const advertisedSchema = z.enum(['advertised', 'not-advertised', 'not-published']);

/** What an issuer's discovery document says, before a custom provider is saved (no secrets). */
export const providerDiscoverySchema = z
  .object({
    issuer: z.string(),
    /** `code_challenge_methods_supported`; empty when the document does not say. */
    pkceMethods: z.array(z.string()),
    userInfo: z.boolean(),
    revocation: z.boolean(),
    /** The `refresh_token` grant in `grant_types_supported`. */
    refreshTokenGrant: advertisedSchema,
    /** `offline_access` in `scopes_supported`. */
    offlineAccess: advertisedSchema,
  })
  .strict();

// ---- accounts --------------------------------------------------------------------------

export const accountHealthSchema = z.enum(['ready', 'refreshing', 'needs-sign-in', 'session-only']);

export const accountSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    providerName: z.string(),
    /** Verified address from the ID token; the XOAUTH2 login. */
    address: z.string(),
    /** What the From header says (an alias or send-as address); defaults to the login. */
    fromAddress: z.string(),
    displayName: z.string(),
    health: accountHealthSchema,
    /** Where the refresh token lives: encrypted on disk, or in memory for this session only. */
    storage: z.enum(['vault', 'session-only']),
    lastUsedAt: z.string().nullable(),
    /** The account's extra certificate authority, when one was added. */
    extraCa: caCertificateSchema.optional(),
  })
  .strict();

export const signInStageSchema = z.enum([
  'opening-browser',
  'waiting-for-browser',
  'exchanging',
  'done',
  'cancelled',
  'superseded',
  'failed',
  'timed-out',
]);

// ---- mail, outbox, history --------------------------------------------------------------

export const messageInputSchema = z
  .object({
    accountId: id,
    to: addressList,
    cc: addressList.optional(),
    bcc: addressList.optional(),
    subject,
    text: messageText,
    attachments: fileList(z.object({ fileId: fileIdSchema }).strict()).optional(),
  })
  .strict();

/** A recipient the server did not take, with its reply line (`550 5.1.1 <bob@example.org>: ... User unknown`). */
export const refusedRecipientSchema = z.object({ address: z.string(), reply: z.string() }).strict();

/** `untrusted-server`: parked because the server's certificate did not verify (lastError says why and how to fix it). */
export const outboxStateSchema = z.enum([
  'waiting',
  'sending',
  'retrying',
  'needs-sign-in',
  'untrusted-server',
  'failed',
  'paused',
]);

/** The program that handed a message to the relay, by the name the person gave it. */
export const viaSchema = z.object({ program: z.string() }).strict();

export const outboxItemSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    from: z.string(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    subject: z.string(),
    attachmentNames: z.array(z.string()),
    sizeBytes: z.number(),
    state: outboxStateSchema,
    attempts: z.number(),
    createdAt: isoTime,
    /** When the worker will next try (end of the undo delay, or the next backoff). */
    nextAttemptAt: isoTime.nullable(),
    lastError: errorInfoSchema.nullable(),
    /** Recipients the server already took; `to`/`cc`/`bcc` then list only the others. */
    deliveredTo: z.array(z.string()).optional(),
    /** Recipients the server refused for good (5xx), each with its reply. */
    refused: z.array(refusedRecipientSchema).optional(),
    /** Set when another program submitted the message through the relay ("from <program>"). */
    via: viaSchema.optional(),
  })
  .strict();

/**
 * `outbox:list` answers with the revision it shows; every `outbox:changed` carries the next
 * revision and only what changed since the one before: an item added or updated (whole, as the
 * list shows it) or removed. A window applies events in order and asks `outbox:list` again
 * when it sees a gap (an event it missed).
 */
export const outboxListSchema = z
  .object({ items: z.array(outboxItemSchema), paused: z.boolean(), revision: z.number().int().nonnegative() })
  .strict();

export const outboxChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('added'), item: outboxItemSchema }).strict(),
  z.object({ type: z.literal('updated'), item: outboxItemSchema }).strict(),
  z.object({ type: z.literal('removed'), id: z.string() }).strict(),
]);

export const historyEntrySchema = z
  .object({
    id: z.string(),
    time: isoTime,
    accountId: z.string(),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    sizeBytes: z.number(),
    messageId: z.string().nullable(),
    outcome: z.enum(['sent', 'failed', 'cancelled']),
    error: errorInfoSchema.nullable(),
    /**
     * Recipients in `to` the message was not delivered to, each with the server's reply. The
     * message itself stays in the outbox under the same id, addressed to them only, until the
     * person writes it again (`outbox:cancel` hands it back as a draft) or discards it.
     */
    refused: z.array(refusedRecipientSchema).optional(),
    /** Set when another program submitted the message through the relay ("from <program>"). */
    via: viaSchema.optional(),
  })
  .strict();

export const testLayerSchema = z
  .object({
    layer: z.enum(['network', 'tls', 'authentication', 'policy']),
    ok: z.boolean(),
    message: z.string(),
    hint: z.string().optional(),
  })
  .strict();

// ---- settings, drafts, files -------------------------------------------------------------

export const settingsSchema = z
  .object({
    undoDelaySeconds: z.number().int().min(0).max(30),
    startAtLogin: z.boolean(),
    globalShortcut: text(64),
    defaultAccountId: id.nullable(),
    mailtoHandler: z.boolean(),
    /** Linux only: the person accepted tokens on disk under the `basic_text` backend. */
    weakStorageConsent: z.boolean(),
  })
  .strict();

export const attachmentRefSchema = z
  .object({ fileId: fileIdSchema, name: text(255), sizeBytes: z.number().min(0) })
  .strict();

export const draftSchema = z
  .object({
    accountId: id.nullable(),
    to: addressList,
    cc: addressList,
    bcc: addressList,
    subject,
    text: messageText,
    attachments: fileList(attachmentRefSchema),
  })
  .strict();

/** A file as the renderer may know it: its id, name and size, never where it is. */
export const fileInfoSchema = z
  .object({
    fileId: fileIdSchema,
    name: z.string(),
    sizeBytes: z.number(),
    /** Why it cannot be attached (missing, a folder, unreadable), in plain words. */
    problem: z.string().nullable(),
  })
  .strict();

/** What a `mailto:` link or `quicksend --compose` asks quick send to show (never auto-sent). */
export const composeRequestSchema = z
  .object({
    to: z.array(z.string()),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    attachments: z.array(fileInfoSchema),
  })
  .strict();

export const appInfoSchema = z
  .object({
    name: z.literal('Quicksend'),
    version: z.string(),
    platform: z.string(),
    development: z.boolean(),
    dataDirectory: z.enum(['ready', 'unwritable']),
    /** `basic_text` on Linux means the OS offers no real key store. */
    keyStore: z.string(),
  })
  .strict();

/** Something the person should know that no request asked about (a damaged file moved aside). */
export const noticeSchema = z
  .object({ level: z.enum(['warning', 'error']), message: z.string(), hint: z.string().optional() })
  .strict();

// ---- relay: other programs sending through Quicksend (electron/relay/) ----------------

/** An unprivileged TCP port for the relay (below 1024 needs administrator rights). */
const relayPort = z.number().int().min(1024).max(65535);
/** A program credential's id as the relay makes them (a UUID). */
const relayCredentialId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const relaySettingsSchema = z
  .object({
    /** Off by default: nothing listens until the person turns it on. */
    enabled: z.boolean(),
    /** The plain + STARTTLS port (default 1587). */
    port: relayPort,
    /** AUTH before STARTTLS on the plain port; the traffic never leaves the computer. */
    allowPlainAuth: z.boolean(),
    /** A second port with implicit TLS (like 465), or null for none. */
    implicitTlsPort: relayPort.nullable(),
  })
  .strict();

export const relayListenerSchema = z
  .object({ address: z.string(), port: z.number(), tls: z.enum(['starttls', 'implicit']) })
  .strict();

export const relayStatusSchema = z
  .object({
    settings: relaySettingsSchema,
    state: z.enum(['off', 'starting', 'listening', 'failed']),
    listening: z.array(relayListenerSchema),
    /** Why it is not listening (a port in use, named with the program holding it where the OS says). */
    problem: z.object({ message: z.string(), hint: z.string().optional() }).strict().nullable(),
    /** The relay's own TLS certificate (public): what a program may be told to trust. */
    certificate: z.object({ fingerprint256: z.string(), validTo: isoTime, pem: z.string() }).strict().nullable(),
    /** The largest message SIZE advertises (the largest limit of the accounts with programs). */
    maxMessageBytes: z.number(),
    maxRecipients: z.number(),
    defaultSendLimitPerHour: z.number(),
  })
  .strict();

/** A program's sign-in as listed: never its password, which only the create answer carries. */
export const relayProgramSchema = z
  .object({
    id: z.string(),
    programName: z.string(),
    accountId: z.string(),
    /** The account's address, or null when the account is gone. */
    accountAddress: z.string().nullable(),
    username: z.string(),
    createdAt: isoTime,
    lastUsedAt: isoTime.nullable(),
    messageCount: z.number(),
    sendLimitPerHour: z.number(),
    sentLastHour: z.number(),
    /** Messages are sent From the account's address whatever the program wrote. */
    rewriteFrom: z.boolean(),
  })
  .strict();

export const channels = {
  'app:info': { request: noRequest, response: appInfoSchema },
  /** Notices so far (a window opened after start-up missed their `app:notice` events). */
  'app:notices': { request: noRequest, response: z.array(noticeSchema) },
  'app:log': {
    request: z.object({ level: z.enum(['info', 'warn', 'error']), message: text(2000) }).strict(),
    response: z.object({}).strict(),
  },

  'providers:list': { request: noRequest, response: z.array(providerSchema) },
  'providers:setClient': {
    request: z.object({ providerId: id, clientId: text(512).min(1), clientSecret: text(512).optional() }).strict(),
    response: providerSchema,
  },
  /** Runs discovery for an issuer and says what it offers; saves nothing. */
  'providers:discover': {
    request: z
      .object({ issuer: text(2048).min(1), clientId: text(512).min(1), clientSecret: text(512).optional() })
      .strict(),
    response: providerDiscoverySchema,
  },
  'providers:addCustom': {
    request: z
      .object({
        name: text(100).min(1),
        issuer: text(2048).min(1),
        clientId: text(512).min(1),
        clientSecret: text(512).optional(),
        scopes: z.array(text(512)).max(50),
        extraAuthorizationParams: extraAuthorizationParams.optional(),
        smtp: smtpSettingsSchema,
      })
      .strict(),
    response: providerSchema,
  },

  'accounts:list': { request: noRequest, response: z.array(accountSchema) },
  'accounts:add': {
    request: z.object({ providerId: id, loginHint: address.optional() }).strict(),
    response: accountSchema,
  },
  'accounts:cancelSignIn': {
    request: z.object({ providerId: id }).strict(),
    response: z.object({ cancelled: z.boolean() }).strict(),
  },
  'accounts:reauthorize': { request: z.object({ accountId: id }).strict(), response: accountSchema },
  'accounts:update': {
    request: z
      .object({
        accountId: id,
        fromAddress: fromAddress.optional(),
        displayName: headerText(200, 'The display name').optional(),
      })
      .strict(),
    response: accountSchema,
  },
  'accounts:remove': {
    request: z.object({ accountId: id }).strict(),
    response: z
      .object({ removed: z.literal(true), revocation: z.enum(['revoked', 'not-supported', 'failed']) })
      .strict(),
  },
  'accounts:signOutAll': {
    request: z.object({ confirm: z.literal(true), deleteWaitingMessages: z.boolean() }).strict(),
    response: z
      .object({ accounts: z.number(), revoked: z.number(), revocationFailed: z.number(), deletedMessages: z.number() })
      .strict(),
  },
  'accounts:test': {
    request: z.object({ accountId: id }).strict(),
    response: z.object({ ok: z.boolean(), layers: z.array(testLayerSchema) }).strict(),
  },
  /** Adds (PEM) or removes (null) the account's extra certificate authority; checked before saving. */
  'accounts:setExtraCa': {
    request: z.object({ accountId: id, pem: pemText.nullable() }).strict(),
    response: accountSchema,
  },
  /** Checks a PEM as a CA certificate and describes it, saving nothing (to show before saving). */
  'certificates:inspect': {
    request: z.object({ pem: pemText }).strict(),
    response: caCertificateSchema,
  },

  'mail:send': {
    request: messageInputSchema,
    response: z.object({ id: z.string(), sendAt: isoTime }).strict(),
  },
  'outbox:list': { request: noRequest, response: outboxListSchema },
  'outbox:cancel': {
    request: z.object({ id: outboxId }).strict(),
    /** The cancelled message, so the composer can put it back (our own windows only). */
    response: z.object({ cancelled: z.boolean(), draft: draftSchema.nullable() }).strict(),
  },
  'outbox:retryNow': {
    request: z.object({ id: outboxId }).strict(),
    response: z.object({ scheduled: z.boolean() }).strict(),
  },
  'outbox:pause': { request: noRequest, response: z.object({ paused: z.boolean() }).strict() },
  'outbox:resume': { request: noRequest, response: z.object({ paused: z.boolean() }).strict() },
  'history:list': {
    request: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    response: z.array(historyEntrySchema),
  },

  'settings:get': { request: noRequest, response: settingsSchema },
  'settings:set': { request: settingsSchema.partial().strict(), response: settingsSchema },
  'drafts:get': { request: noRequest, response: draftSchema.nullable() },
  'drafts:save': {
    request: z.object({ draft: draftSchema.nullable() }).strict(),
    response: z.object({ savedAt: isoTime.nullable() }).strict(),
  },
  'files:choose': { request: noRequest, response: z.array(fileInfoSchema) },
  /** Checks given files again (still there, size now); unknown or expired ids are refused. */
  'files:describe': {
    request: z.object({ fileIds: fileList(fileIdSchema) }).strict(),
    response: z.array(fileInfoSchema),
  },
  'diagnostics:export': { request: noRequest, response: z.object({ path: z.string(), records: z.number() }).strict() },

  'relay:status': { request: noRequest, response: relayStatusSchema },
  /** Turns the relay on or off, or changes its ports and security; answers the new status. */
  'relay:configure': { request: relaySettingsSchema.partial().strict(), response: relayStatusSchema },
  'relay:listCredentials': { request: noRequest, response: z.array(relayProgramSchema) },
  /**
   * Makes a username and password for one program. The answer is the only place the password
   * ever appears (the person copies it once; Quicksend keeps only a keyed hash), which is why
   * the contract test allows this one `password` field and no other.
   */
  'relay:createCredential': {
    request: z
      .object({
        programName: headerText(100, 'The program name').min(1),
        accountId: id,
        rewriteFrom: z.boolean().optional(),
        sendLimitPerHour: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    response: z
      .object({
        program: relayProgramSchema,
        username: z.string(),
        password: z.string(),
        host: z.string(),
        port: z.number(),
        implicitTlsPort: z.number().nullable(),
        allowPlainAuth: z.boolean(),
      })
      .strict(),
  },
  'relay:updateCredential': {
    request: z
      .object({
        id: relayCredentialId,
        programName: headerText(100, 'The program name').min(1).optional(),
        sendLimitPerHour: z.number().int().min(1).max(10_000).optional(),
        rewriteFrom: z.boolean().optional(),
      })
      .strict(),
    response: relayProgramSchema,
  },
  'relay:revokeCredential': {
    request: z.object({ id: relayCredentialId }).strict(),
    response: z.object({ revoked: z.boolean() }).strict(),
  },
} as const;

/**
 * Channels only the preload calls: no `window.quicksend` method reaches them, and the web host
 * does not route them. `files:addDropped` takes the paths `webUtils.getPathForFile` gave for
 * dropped `File`s (a script cannot forge a disk-backed File) and answers with file ids.
 */
export const preloadChannels = {
  'files:addDropped': { request: z.object({ paths: fileList(filePath) }).strict(), response: z.array(fileInfoSchema) },
} as const;

export const events = {
  'accounts:changed': z.object({ accounts: z.array(accountSchema) }).strict(),
  'signin:progress': z
    .object({
      providerId: z.string(),
      stage: signInStageSchema,
      /** The sign-in page, so the UI can offer "copy sign-in link". */
      signInUrl: z.string().optional(),
      message: z.string().optional(),
    })
    .strict(),
  /** What changed in the outbox since the previous revision (changes of one tick together). */
  'outbox:changed': z
    .object({ revision: z.number().int().positive(), paused: z.boolean(), changes: z.array(outboxChangeSchema) })
    .strict(),
  /** Open quick send prefilled (mailto:, command line, tray drop). */
  'compose:open': composeRequestSchema,
  /** Show a view (a notification was clicked, the tray asked). */
  'view:show': z.object({ view: z.enum(['compose', 'accounts', 'outbox', 'settings']) }).strict(),
  /** A damaged file was moved aside, or something else the person should know. */
  'app:notice': noticeSchema,
  /** The relay started, stopped or failed, or a program's sign-in changed. */
  'relay:changed': z.object({ status: relayStatusSchema, programs: z.array(relayProgramSchema) }).strict(),
} as const;

export type Channel = keyof typeof channels;
export type PreloadChannel = keyof typeof preloadChannels;
export type PreloadRequestOf<K extends PreloadChannel> = z.output<(typeof preloadChannels)[K]['request']>;
export type PreloadResponseOf<K extends PreloadChannel> = z.output<(typeof preloadChannels)[K]['response']>;
export type EventName = keyof typeof events;
export type RequestOf<K extends Channel> = z.input<(typeof channels)[K]['request']>;
export type ParsedRequestOf<K extends Channel> = z.output<(typeof channels)[K]['request']>;
export type ResponseOf<K extends Channel> = z.output<(typeof channels)[K]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;
export type Account = z.output<typeof accountSchema>;
export type Provider = z.output<typeof providerSchema>;
export type ProviderDiscovery = z.output<typeof providerDiscoverySchema>;
export type MessageInput = z.output<typeof messageInputSchema>;
export type OutboxItem = z.output<typeof outboxItemSchema>;
export type OutboxList = z.output<typeof outboxListSchema>;
export type OutboxChange = z.output<typeof outboxChangeSchema>;
export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type Settings = z.output<typeof settingsSchema>;
export type Draft = z.output<typeof draftSchema>;
export type FileInfo = z.output<typeof fileInfoSchema>;
export type AttachmentRef = z.output<typeof attachmentRefSchema>;
export type ComposeRequest = z.output<typeof composeRequestSchema>;
export type TestLayer = z.output<typeof testLayerSchema>;
export type SignInStage = z.output<typeof signInStageSchema>;
export type AppInfo = z.output<typeof appInfoSchema>;
export type Notice = z.output<typeof noticeSchema>;
export type ErrorInfo = z.output<typeof errorInfoSchema>;
export type RefusedRecipient = z.output<typeof refusedRecipientSchema>;
export type CaCertificate = z.output<typeof caCertificateSchema>;
export type RelaySettings = z.output<typeof relaySettingsSchema>;
export type RelayStatus = z.output<typeof relayStatusSchema>;
export type RelayProgram = z.output<typeof relayProgramSchema>;
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The shape of `window.quicksend`, derived from the channels above. */
type Split<S extends string> = S extends `${infer D}:${infer A}` ? [D, A] : never;
type Domains = Split<Channel>[0];
type MethodsOf<D extends string> = {
  [K in Channel as Split<K>[0] extends D ? Split<K>[1] : never]: Record<string, never> extends RequestOf<K>
    ? (request?: RequestOf<K>) => Promise<Result<ResponseOf<K>>>
    : (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
};

export type QuicksendApi = { [D in Exclude<Domains, 'files'>]: MethodsOf<D> } & {
  /**
   * The files channels plus one helper: dropped `File`s become paths inside the preload, which
   * hands them to main over its own channel; the page gets file ids back.
   */
  files: MethodsOf<'files'> & {
    describeDropped(files: File[]): Promise<Result<FileInfo[]>>;
  };
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
};

export const channelNames = Object.keys(channels) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isPreloadChannel(name: unknown): name is PreloadChannel {
  return typeof name === 'string' && Object.hasOwn(preloadChannels, name);
}

/** Stable codes of the IPC layer itself; domain codes live with their domains. */
export const ipcErrorCodes = {
  unknownChannel: 'ipc.unknown_channel',
  untrustedSender: 'ipc.untrusted_sender',
  invalidRequest: 'ipc.invalid_request',
  internal: 'internal',
} as const;
