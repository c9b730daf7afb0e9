/**
 * An in-memory `QuicksendApi` for renderer component tests: it behaves like a small, honest
 * main process (accounts, outbox, history, settings, drafts, files) and records every call.
 * `override(channel, fn)` replaces one channel (to fail it, or delay it); `emit` sends events,
 * `setOutbox` changes the outbox and sends its changes.
 */
import type {
  Account,
  AppInfo,
  Channel,
  Draft,
  EventName,
  ErrorCode,
  EventPayloadOf,
  FileInfo,
  HistoryEntry,
  OutboxItem,
  Provider,
  RelayProgram,
  RelayStatus,
  QuicksendApi,
  RequestOf,
  ResponseOf,
  Result,
  Settings,
} from '../../electron/ipc/contract';

export type FakeState = {
  info: AppInfo;
  providers: Provider[];
  accounts: Account[];
  outbox: { items: OutboxItem[]; paused: boolean };
  history: HistoryEntry[];
  settings: Settings;
  draft: Draft | null;
  /** What the native file dialog "returns" next. */
  chosenFiles: FileInfo[];
  /** Undo delay the fake uses for `mail:send`'s `sendAt`. */
  now: () => number;
  /** The relay for other programs: its status and the programs' sign-ins. */
  relay: { status: RelayStatus; programs: RelayProgram[] };
};

type Handler<K extends Channel> = (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>> | Result<ResponseOf<K>>;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, hint?: string): Result<never> => ({
  ok: false,
  error: hint === undefined ? { code, message } : { code, message, hint },
});
/** What the fake's `certificates:inspect` says about any PEM certificate. */
export const FAKE_CA = {
  subject: 'Example Corp Root CA (Example Corp)',
  fingerprint256: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
  validTo: '2036-01-01T00:00:00.000Z',
};

export function provider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: 'google',
    kind: 'google',
    name: 'Google',
    configured: true,
    clientIdSource: 'build',
    needsClientSecret: true,
    hasClientSecret: true,
    redirectUri: 'http://127.0.0.1/callback',
    scopes: ['openid', 'email', 'https://mail.google.com/'],
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    attachmentLimitBytes: 25 * 1024 * 1024,
    supportsRevocation: true,
    ...overrides,
  };
}

export function account(overrides: Partial<Account> = {}): Account {
  const address = overrides.address ?? 'ada@example.com';
  return {
    id: 'acc-1',
    provider: 'google',
    providerName: 'Google',
    address,
    fromAddress: address,
    displayName: 'Ada Lovelace',
    health: 'ready',
    storage: 'vault',
    lastUsedAt: null,
    ...overrides,
  };
}

export function outboxItem(overrides: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: 'msg-1',
    accountId: 'acc-1',
    from: 'ada@example.com',
    to: ['bob@example.com'],
    cc: [],
    bcc: [],
    subject: 'Hello',
    attachmentNames: [],
    sizeBytes: 2048,
    state: 'waiting',
    attempts: 0,
    createdAt: new Date(0).toISOString(),
    nextAttemptAt: null,
    lastError: null,
    ...overrides,
  };
}

export function historyEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'h-1',
    time: new Date(0).toISOString(),
    accountId: 'acc-1',
    from: 'ada@example.com',
    to: ['bob@example.com'],
    subject: 'Earlier',
    sizeBytes: 1000,
    messageId: '<1@example.com>',
    outcome: 'sent',
    error: null,
    ...overrides,
  };
}

/** A relay status as main reports it; off and never started unless overridden. */
export function relayStatus(overrides: Partial<RelayStatus> = {}): RelayStatus {
  return {
    settings: { enabled: false, port: 1587, allowPlainAuth: true, implicitTlsPort: null },
    state: 'off',
    listening: [],
    problem: null,
    certificate: null,
    maxMessageBytes: 25 * 1024 * 1024,
    maxRecipients: 100,
    defaultSendLimitPerHour: 50,
    ...overrides,
  };
}

/** A program sign-in as the relay lists it. */
export function relayProgram(overrides: Partial<RelayProgram> = {}): RelayProgram {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    programName: 'backup script',
    accountId: 'acc-1',
    accountAddress: 'ada@example.com',
    username: 'qs-abcdefghjk',
    createdAt: new Date(0).toISOString(),
    lastUsedAt: null,
    messageCount: 0,
    sendLimitPerHour: 50,
    sentLastHour: 0,
    rewriteFrom: false,
    ...overrides,
  };
}

/** The fake relay's certificate, as `relay:status` shows it once the relay ran. */
export const FAKE_RELAY_CERTIFICATE = {
  fingerprint256: 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
  validTo: '2029-03-07T00:00:00.000Z',
  pem: '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n',
};

export function createFakeApi(initial: Partial<FakeState> = {}) {
  const state: FakeState = {
    info: {
      name: 'Quicksend',
      version: '9.9.9',
      platform: 'linux',
      development: true,
      dataDirectory: 'ready',
      keyStore: 'gnome_libsecret',
    },
    providers: [provider()],
    accounts: [],
    outbox: { items: [], paused: false },
    history: [],
    settings: {
      undoDelaySeconds: 5,
      startAtLogin: false,
      globalShortcut: 'CommandOrControl+Shift+M',
      defaultAccountId: null,
      mailtoHandler: false,
      weakStorageConsent: false,
    },
    draft: null,
    chosenFiles: [],
    now: () => Date.now(),
    relay: { status: relayStatus(), programs: [] },
    ...initial,
  };
  const calls: Array<[Channel | 'files:describeDropped', unknown]> = [];
  // Like main: files are known by id; the fake remembers each id's name for the outbox list.
  const fileNames = new Map<string, string>();
  const given = (file: FileInfo) => (fileNames.set(file.fileId, file.name), file);
  const sentFiles = new Map<string, string[]>();
  const overrides = new Map<Channel, Handler<Channel>>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;

  function emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  }
  // Like main: each event carries the next revision and what changed since the one before.
  let outboxRevision = 0;
  let toldOutbox = new Map(state.outbox.items.map((item) => [item.id, item]));
  const outboxChanged = (lost = false) => {
    const now = new Map(state.outbox.items.map((item) => [item.id, item]));
    const changes: EventPayloadOf<'outbox:changed'>['changes'] = [];
    for (const [id, item] of now) {
      const told = toldOutbox.get(id);
      if (!told) changes.push({ type: 'added', item });
      else if (told !== item) changes.push({ type: 'updated', item });
    }
    for (const id of toldOutbox.keys()) if (!now.has(id)) changes.push({ type: 'removed', id });
    toldOutbox = now;
    outboxRevision += 1;
    if (!lost) emit('outbox:changed', { revision: outboxRevision, paused: state.outbox.paused, changes });
  };
  const accountsChanged = () => emit('accounts:changed', { accounts: [...state.accounts] });
  const relayChanged = () => emit('relay:changed', { status: state.relay.status, programs: [...state.relay.programs] });
  let relayCounter = 0;

  const defaults: { [K in Channel]: Handler<K> } = {
    'app:info': () => ok(state.info),
    'app:notices': () => ok([]),
    'app:log': () => ok({}),
    'providers:list': () => ok(state.providers),
    'providers:setClient': ({ providerId, clientSecret }) => {
      const p = state.providers.find((x) => x.id === providerId);
      if (!p) return fail('provider.unknown', 'Unknown provider.');
      Object.assign(p, {
        configured: true,
        clientIdSource: 'settings',
        hasClientSecret: p.hasClientSecret || !!clientSecret,
      });
      return ok(p);
    },
    // Like a standard-following provider: everything a client needs is advertised.
    'providers:discover': ({ issuer }) =>
      ok({
        issuer: issuer.replace(/\/$/, ''),
        pkceMethods: ['S256'],
        userInfo: true,
        revocation: true,
        refreshTokenGrant: 'advertised' as const,
        offlineAccess: 'advertised' as const,
      }),
    'providers:addCustom': (req) => {
      const p = provider({
        id: `custom-${nextId++}`,
        kind: 'custom',
        name: req.name,
        configured: true,
        clientIdSource: 'settings',
        needsClientSecret: false,
        hasClientSecret: !!req.clientSecret,
        scopes: req.scopes,
        smtp: req.smtp,
        supportsRevocation: false,
      });
      state.providers.push(p);
      return ok(p);
    },
    'accounts:list': () => ok(state.accounts),
    'accounts:add': ({ providerId, loginHint }) => {
      const p = state.providers.find((x) => x.id === providerId);
      if (!p) return fail('provider.unknown', 'Unknown provider.');
      emit('signin:progress', {
        providerId,
        stage: 'waiting-for-browser',
        signInUrl: 'https://accounts.example/authorize?x=1',
      });
      const a = account({
        id: `acc-${100 + nextId++}`,
        provider: providerId,
        providerName: p.name,
        address: loginHint ?? `person${nextId}@example.com`,
      });
      state.accounts.push(a);
      emit('signin:progress', { providerId, stage: 'done' });
      accountsChanged();
      return ok(a);
    },
    'accounts:cancelSignIn': () => ok({ cancelled: true }),
    'accounts:reauthorize': ({ accountId }) => {
      const a = state.accounts.find((x) => x.id === accountId);
      if (!a) return fail('accounts.unknown', 'That account no longer exists.');
      a.health = 'ready';
      accountsChanged();
      return ok(a);
    },
    'accounts:update': ({ accountId, fromAddress, displayName }) => {
      const a = state.accounts.find((x) => x.id === accountId);
      if (!a) return fail('accounts.unknown', 'That account no longer exists.');
      if (fromAddress) a.fromAddress = fromAddress;
      if (displayName !== undefined) a.displayName = displayName;
      return ok(a);
    },
    'accounts:remove': ({ accountId }) => {
      state.accounts = state.accounts.filter((x) => x.id !== accountId);
      accountsChanged();
      return ok({ removed: true as const, revocation: 'revoked' as const });
    },
    'accounts:signOutAll': ({ deleteWaitingMessages }) => {
      const n = state.accounts.length;
      const deleted = deleteWaitingMessages ? state.outbox.items.length : 0;
      state.accounts = [];
      if (deleteWaitingMessages) state.outbox.items = [];
      accountsChanged();
      return ok({ accounts: n, revoked: n, revocationFailed: 0, deletedMessages: deleted });
    },
    'accounts:test': () =>
      ok({
        ok: true,
        layers: [
          { layer: 'network' as const, ok: true, message: 'Reached smtp.gmail.com:465.' },
          { layer: 'tls' as const, ok: true, message: 'TLS certificate is valid.' },
          { layer: 'authentication' as const, ok: true, message: 'Signed in with XOAUTH2.' },
        ],
      }),
    'accounts:setExtraCa': ({ accountId, pem }) => {
      const a = state.accounts.find((x) => x.id === accountId);
      if (!a) return fail('accounts.unknown', 'That account no longer exists.');
      if (pem === null) delete a.extraCa;
      else a.extraCa = FAKE_CA;
      accountsChanged();
      return ok(a);
    },
    // Like main: anything that is not a PEM certificate is refused in plain words.
    'certificates:inspect': ({ pem }) =>
      pem.includes('-----BEGIN CERTIFICATE-----')
        ? ok(FAKE_CA)
        : fail(
            'certificate.not_pem',
            'That is not a certificate in PEM form (text starting with -----BEGIN CERTIFICATE-----).',
          ),
    'mail:send': (req) => {
      const a = state.accounts.find((x) => x.id === req.accountId);
      if (!a) return fail('accounts.unknown', 'That account no longer exists.');
      const id = `msg-${nextId++}`;
      const sendAt = new Date(state.now() + state.settings.undoDelaySeconds * 1000).toISOString();
      const names = (req.attachments ?? []).map((x) => fileNames.get(x.fileId) ?? x.fileId);
      sentFiles.set(id, names);
      state.outbox.items.push(
        outboxItem({
          id,
          accountId: a.id,
          from: a.fromAddress,
          to: req.to,
          cc: req.cc ?? [],
          bcc: req.bcc ?? [],
          subject: req.subject,
          attachmentNames: names,
          nextAttemptAt: sendAt,
          createdAt: new Date(state.now()).toISOString(),
        }),
      );
      outboxChanged();
      return ok({ id, sendAt });
    },
    'outbox:list': () => ok({ items: [...state.outbox.items], paused: state.outbox.paused, revision: outboxRevision }),
    'outbox:cancel': ({ id }) => {
      const item = state.outbox.items.find((x) => x.id === id);
      if (!item) return ok({ cancelled: false, draft: null });
      state.outbox.items = state.outbox.items.filter((x) => x.id !== id);
      outboxChanged();
      // Like main: the files come back under ids handed out now.
      const attachments = (sentFiles.get(id) ?? [])
        .map((name) => given({ fileId: fakeFileId(), name, sizeBytes: 1000, problem: null }))
        .map(({ fileId, name, sizeBytes }) => ({ fileId, name, sizeBytes }));
      return ok({
        cancelled: true,
        draft: {
          accountId: item.accountId,
          to: item.to,
          cc: item.cc,
          bcc: item.bcc,
          subject: item.subject,
          text: 'restored body',
          attachments,
        },
      });
    },
    'outbox:retryNow': ({ id }) => {
      const item = state.outbox.items.find((x) => x.id === id);
      if (!item) return ok({ scheduled: false });
      item.state = 'waiting';
      item.nextAttemptAt = new Date(state.now()).toISOString();
      outboxChanged();
      return ok({ scheduled: true });
    },
    'outbox:pause': () => ((state.outbox.paused = true), outboxChanged(), ok({ paused: true })),
    'outbox:resume': () => ((state.outbox.paused = false), outboxChanged(), ok({ paused: false })),
    'history:list': ({ limit } = {}) => ok(state.history.slice(0, limit ?? 100)),
    'settings:get': () => ok(state.settings),
    'settings:set': (patch) => ok((state.settings = { ...state.settings, ...patch })),
    'drafts:get': () => ok(state.draft),
    'drafts:save': ({ draft }) => (
      (state.draft = draft),
      ok({ savedAt: draft ? new Date(state.now()).toISOString() : null })
    ),
    'files:choose': () => ok(state.chosenFiles.map(given)),
    'files:describe': ({ fileIds }) =>
      ok(fileIds.map((fileId) => ({ fileId, name: fileNames.get(fileId) ?? 'file', sizeBytes: 1000, problem: null }))),
    'diagnostics:export': () => ok({ path: '/home/ada/.config/Quicksend/quicksend-diagnostics.json', records: 42 }),
    'relay:status': () => ok(state.relay.status),
    // Like main: turning it on listens on 127.0.0.1 (and ::1) and makes the certificate.
    'relay:configure': (patch) => {
      const settings = { ...state.relay.status.settings, ...patch };
      if (settings.implicitTlsPort !== null && settings.implicitTlsPort === settings.port)
        return fail('relay.same_port', `The implicit TLS port must differ from the main port (${settings.port}).`);
      const listening = settings.enabled
        ? [
            { address: '127.0.0.1', port: settings.port, tls: 'starttls' as const },
            ...(settings.implicitTlsPort !== null
              ? [{ address: '127.0.0.1', port: settings.implicitTlsPort, tls: 'implicit' as const }]
              : []),
          ]
        : [];
      state.relay.status = {
        ...state.relay.status,
        settings,
        state: settings.enabled ? 'listening' : 'off',
        listening,
        problem: null,
        certificate: settings.enabled ? FAKE_RELAY_CERTIFICATE : state.relay.status.certificate,
      };
      relayChanged();
      return ok(state.relay.status);
    },
    'relay:listCredentials': () => ok([...state.relay.programs]),
    'relay:createCredential': ({ programName, accountId, rewriteFrom, sendLimitPerHour }) => {
      const a = state.accounts.find((x) => x.id === accountId);
      if (!a) return fail('accounts.unknown', 'That account no longer exists.');
      relayCounter += 1;
      const program = relayProgram({
        id: `00000000-0000-4000-8000-${String(relayCounter + 100).padStart(12, '0')}`,
        programName: programName.trim(),
        accountId,
        accountAddress: a.fromAddress,
        username: `qs-fake${String(relayCounter).padStart(6, '0')}`,
        createdAt: new Date(state.now()).toISOString(),
        rewriteFrom: rewriteFrom ?? false,
        sendLimitPerHour: sendLimitPerHour ?? 50,
      });
      state.relay.programs.push(program);
      relayChanged();
      const { settings } = state.relay.status;
      return ok({
        program,
        username: program.username,
        password: `fake-one-time-password-${relayCounter}-0123456789abcdef`,
        host: '127.0.0.1',
        port: settings.port,
        implicitTlsPort: settings.implicitTlsPort,
        allowPlainAuth: settings.allowPlainAuth,
      });
    },
    'relay:updateCredential': ({ id, ...patch }) => {
      const program = state.relay.programs.find((p) => p.id === id);
      if (!program) return fail('relay.unknown_credential', 'That program’s sign-in no longer exists.');
      Object.assign(program, patch);
      relayChanged();
      return ok(program);
    },
    'relay:revokeCredential': ({ id }) => {
      const before = state.relay.programs.length;
      state.relay.programs = state.relay.programs.filter((p) => p.id !== id);
      relayChanged();
      return ok({ revoked: state.relay.programs.length < before });
    },
  };

  function call<K extends Channel>(channel: K, request: unknown): Promise<Result<ResponseOf<K>>> {
    calls.push([channel, request]);
    const handler = (overrides.get(channel) ?? defaults[channel]) as unknown as Handler<K>;
    return Promise.resolve(handler((request ?? {}) as RequestOf<K>));
  }

  const api: Record<string, unknown> = {};
  for (const channel of Object.keys(defaults) as Channel[]) {
    const [domain, action] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[action] = (request?: unknown) => call(channel, request);
  }
  (api.files as Record<string, unknown>).describeDropped = async (files: File[]) => {
    calls.push(['files:describeDropped', files.map((f) => f.name)]);
    return ok(files.map((f) => given({ fileId: fakeFileId(), name: f.name, sizeBytes: f.size, problem: null })));
  };
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };

  return {
    api: api as unknown as QuicksendApi,
    state,
    calls,
    /** Requests seen on one channel, in order. */
    requests: (channel: Channel | 'files:describeDropped') => calls.filter(([c]) => c === channel).map(([, r]) => r),
    override<K extends Channel>(channel: K, handler: Handler<K>) {
      overrides.set(channel, handler as unknown as Handler<Channel>);
    },
    emit,
    /**
     * The outbox becomes `next`; windows hear of it as main would tell them (`outbox:changed`).
     * `lost`: the event never reaches the window (the next one shows a gap).
     */
    setOutbox(next: FakeState['outbox'], options: { lost?: boolean } = {}) {
      state.outbox = next;
      outboxChanged(options.lost);
    },
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
  };
}

export type FakeApi = ReturnType<typeof createFakeApi>;

let fileCounter = 0;
/** A file id of the shape main hands out (22 base64url characters). */
export function fakeFileId(): string {
  fileCounter += 1;
  return `fake${String(fileCounter).padStart(18, '0')}`;
}
