// The sandbox identity provider: a real oidc-provider 9 on 127.0.0.1 standing in for Google,
// Microsoft or any other provider, so tests, the demo and benchmarks exercise the genuine
// OAuth 2.0 / OIDC protocol (discovery, code + PKCE, rotating refresh tokens with reuse
// detection, UserInfo, revocation) with no account anywhere. It is as strict as the standard by
// default (no refresh token without prompt=consent, no email in the ID token); leniencies are
// named, opt-in options (emailInIdToken).
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { InteractionRoutes, escapeHtml, sendError } from './login-page';

/** The sandbox's "send mail" scope, playing the part of Gmail's https://mail.google.com/. */
export const SANDBOX_MAIL_SCOPE = 'https://mail.sandbox.test/';
/** Every scope the sandbox client may request. */
export const SANDBOX_SCOPES = ['openid', 'email', 'profile', 'offline_access', SANDBOX_MAIL_SCOPE] as const;

/** Options for {@link startIdentityProvider}; all lifetimes in seconds. */
export interface SandboxOptions {
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  idTokenTtlSeconds?: number;
  /** `emailVerified: false` makes the account's email unverified (UserInfo says so). */
  users?: Array<{ email: string; name?: string; emailVerified?: boolean }>;
  clientId?: string;
  /**
   * Google-like: also put `email`, `email_verified` and `name` into the ID token. Off by
   * default, as OpenID Connect Core 5.4 has it: scope-derived claims go to the UserInfo
   * endpoint, and the ID token carries only `sub` unless they are requested as claims.
   */
  emailInIdToken?: boolean;
}

/** A sandbox account; `sub` is stable for an email address across restarts. */
export interface SandboxUser {
  email: string;
  name: string;
  sub: string;
  emailVerified: boolean;
}

/** RFC 7662 introspection response; access tokens also carry the account's `email`. */
export interface IntrospectionResult {
  active: boolean;
  scope?: string;
  sub?: string;
  email?: string;
  client_id?: string;
  exp?: number;
  iat?: number;
  token_type?: string;
  [claim: string]: unknown;
}

/** POSTs seen at the token endpoint, by grant type. */
export interface TokenRequestCounts {
  total: number;
  authorizationCode: number;
  refreshToken: number;
}

/** Token endpoint answers held back after the provider processed them (a stalling provider). */
export interface TokenAnswerHold {
  /** Answers processed and held back so far. */
  held(): number;
  /** Resolves once `count` answers have been processed and held back. */
  whenHeld(count?: number): Promise<void>;
  /** Sends every held answer now and stops holding. */
  release(): void;
}

/** What {@link SandboxIdentityProvider.holdTokenAnswers} holds back, and for how long. */
export interface TokenAnswerHoldOptions {
  /** Which grant's answers to hold (default `refresh_token`). */
  grantType?: 'refresh_token' | 'authorization_code';
  /** Send each held answer after this long; without it they wait for `release()`. */
  ms?: number;
}

/** A running sandbox identity provider. */
export interface SandboxIdentityProvider {
  /** `http://127.0.0.1:PORT`, also the discovery base. */
  issuer: string;
  clientId: string;
  users: SandboxUser[];
  port: number;
  /** The oidc-provider instance, for tests that need to reach inside. */
  provider: Provider;
  /** Asks the introspection endpoint about a token (as the sandbox client). */
  introspect(token: string): Promise<IntrospectionResult>;
  /** Revokes every grant (and so every token) of a user, like "remove app access" at Google. */
  revokeAllFor(email: string): Promise<void>;
  /** From now on, consent grants every requested scope except these (e.g. offline_access). */
  withholdScopes(scopes: string[]): void;
  /**
   * The refresh tokens of a user that would still work (not expired, consumed or revoked),
   * so a test can see a grant the client forgot about without knowing its value.
   */
  liveRefreshTokens(email: string): string[];
  tokenRequests(): TokenRequestCounts;
  /**
   * From now on the token endpoint processes requests (rotating refresh tokens and all) and
   * then holds the answer back, as a provider that stalls after doing the work. One hold at a
   * time: a new one releases the previous.
   */
  holdTokenAnswers(options?: TokenAnswerHoldOptions): TokenAnswerHold;
  stop(): Promise<void>;
}

const DEFAULT_USERS: NonNullable<SandboxOptions['users']> = [{ email: 'demo@quicksend.test', name: 'Demo User' }];
const DAY = 24 * 60 * 60;

/** Starts the provider on 127.0.0.1 with an ephemeral port. */
export async function startIdentityProvider(options: SandboxOptions = {}): Promise<SandboxIdentityProvider> {
  const clientId = options.clientId ?? 'quicksend-sandbox';
  const users: SandboxUser[] = (options.users ?? DEFAULT_USERS).map((u) => ({
    email: u.email,
    name: u.name ?? u.email.split('@')[0] ?? u.email,
    sub: subjectFor(u.email),
    emailVerified: u.emailVerified ?? true,
  }));
  const bySub = new Map(users.map((u) => [u.sub, u]));
  const byEmail = (email: string) => users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
  const refreshTtl = options.refreshTokenTtlSeconds ?? 14 * DAY;
  const store = new Map<string, Stored>();
  const counts: TokenRequestCounts = { total: 0, authorizationCode: 0, refreshToken: 0 };

  // The issuer must contain the port, so listen first and create the provider afterwards.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = await createProvider(issuer, {
    adapter: (model: string) => new MemoryAdapter(model, store),
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // No port: oidc-provider then accepts any loopback port for native clients (RFC 8252 7.3).
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: SANDBOX_SCOPES.join(' '),
      },
    ],
    // Own keys, cookie keys and ttl values also keep oidc-provider's "you MUST change" notices quiet.
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The mail scope is registered as a plain scope (no resource indicator) so it lands in the
    // ordinary access token, like Google's mail scope; introspect() then reports it.
    scopes: [...SANDBOX_SCOPES],
    responseTypes: ['code'], // code flow only, so discovery advertises nothing else
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Spec-conforming by default: email and name reach the ID token only when requested as
    // claims; the Google-like option puts them there as Google and Microsoft do.
    conformIdTokenClaims: !options.emailInIdToken,
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, email_verified: user.emailVerified, name: user.name }),
      };
    },
    // Stored with each opaque access token and returned by introspection, so the sandbox SMTP
    // server can match XOAUTH2's user= against the token without another lookup.
    extraTokenClaims: async (_ctx: unknown, token: { accountId?: string }) => {
      const user = token.accountId ? bySub.get(token.accountId) : undefined;
      return user ? { email: user.email } : undefined;
    },
    rotateRefreshToken: true,
    pkce: { required: () => true }, // oidc-provider 9 supports only S256 anyway
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) =>
          token.clientId === client.clientId,
      },
      introspection: { enabled: true, allowedPolicy: async () => true },
    },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      IdToken: options.idTokenTtlSeconds ?? 3600,
      RefreshToken: refreshTtl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: DAY,
      // Longer than any refresh token, so a refresh fails because of the token, not the grant.
      Grant: Math.max(refreshTtl, 30 * DAY),
    },
    clientBasedCORS: () => false,
    renderError: async (ctx: { type: string; body: unknown }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body =
        `<!doctype html><title>Sandbox error</title><h1>${escapeHtml(out.error ?? 'error')}</h1>` +
        `<p id="error-description">${escapeHtml(out.error_description ?? '')}</p>`;
    },
  }).catch(async (error: unknown) => {
    server.close(); // a bad configuration must not leave a listening socket behind
    throw error;
  });

  let hold: ActiveHold | undefined;
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.oidc?.route !== 'token') return;
    counts.total += 1;
    const grantType = ctx.oidc.params?.grant_type;
    if (grantType === 'authorization_code') counts.authorizationCode += 1;
    if (grantType === 'refresh_token') counts.refreshToken += 1;
    // Koa sends the answer only once every middleware has finished, so waiting here holds back
    // an answer whose work (a rotated refresh token, a consumed code) is already done.
    if (hold && grantType === hold.grantType) await hold.hold();
  });

  const interactions = new InteractionRoutes(provider, clientId, byEmail);
  const callback = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (match) interactions.handle(req, res, match[2] === '/login').catch((error: unknown) => sendError(res, error));
    else callback(req, res);
  };

  return {
    issuer,
    clientId,
    users,
    port,
    provider,
    async introspect(token) {
      const response = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        body: new URLSearchParams({ token, client_id: clientId }),
      });
      if (!response.ok) throw new Error(`introspection failed: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as IntrospectionResult;
    },
    withholdScopes(scopes) {
      interactions.withheldScopes.clear();
      for (const scope of scopes) interactions.withheldScopes.add(scope);
    },
    liveRefreshTokens(email) {
      const user = byEmail(email);
      if (!user) throw new Error(`no sandbox user ${email}`);
      const now = Date.now();
      const live: string[] = [];
      for (const [key, { payload, expiresAt }] of store) {
        // Opaque tokens are stored under their own value (the jti); a revoked grant deletes them.
        if (key.startsWith('RefreshToken:') && payload.accountId === user.sub && !payload.consumed && expiresAt > now)
          live.push(key.slice('RefreshToken:'.length));
      }
      return live;
    },
    async revokeAllFor(email) {
      const user = byEmail(email);
      if (!user) throw new Error(`no sandbox user ${email}`);
      for (const [key, { payload }] of store) {
        if (!key.startsWith('Grant:') || payload.accountId !== user.sub) continue;
        const grantId = key.slice('Grant:'.length);
        for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode']) {
          await new MemoryAdapter(model, store).revokeByGrantId(grantId);
        }
        store.delete(key);
      }
    },
    tokenRequests: () => ({ ...counts }),
    holdTokenAnswers(holdOptions = {}) {
      hold?.release();
      const created = new ActiveHold(holdOptions.grantType ?? 'refresh_token', holdOptions.ms);
      hold = created;
      return {
        held: () => created.held,
        whenHeld: (count = 1) => created.whenHeld(count),
        release: () => {
          created.release();
          if (hold === created) hold = undefined;
        },
      };
    },
    async stop() {
      hold?.release();
      const closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      server.closeAllConnections(); // keep-alive sockets from fetch would hold close() open
      await closed;
    },
  };
}

/** One hold of token endpoint answers: each waits for release() or its own timer. */
class ActiveHold {
  held = 0;
  private released = false;
  private readonly waiting = new Set<() => void>();
  private readonly watchers: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    readonly grantType: string,
    private readonly ms: number | undefined,
  ) {}

  hold(): Promise<void> {
    this.held += 1;
    for (const watcher of this.watchers.filter((w) => w.count <= this.held)) {
      this.watchers.splice(this.watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
    if (this.released) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = this.ms === undefined ? undefined : setTimeout(done, this.ms);
      this.waiting.add(done);
    });
  }

  whenHeld(count: number): Promise<void> {
    if (this.held >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  release(): void {
    this.released = true;
    for (const done of [...this.waiting]) done();
  }
}

// Own store instead of oidc-provider's quick-start adapter: that one is an LRU capped at 1000
// entries (a benchmark could evict live grants) and prints a MUST-change warning at startup.
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; accountId?: string };
interface Stored {
  payload: Payload;
  expiresAt: number;
}

/** oidc-provider adapter over one Map shared by all models of a sandbox. */
class MemoryAdapter {
  private writes = 0;

  constructor(
    private readonly model: string,
    private readonly store: Map<string, Stored>,
  ) {}

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    this.store.set(this.key(id), { payload, expiresAt });
    if (++this.writes % 500 === 0) this.prune(); // bounded memory in long benchmarks
  }

  async find(id: string): Promise<Payload | undefined> {
    const entry = this.store.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.payload;
    this.store.delete(this.key(id));
    return undefined;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.findWhere((p) => p.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.findWhere((p) => p.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const payload = await this.find(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, { payload }] of this.store) {
      if (key.startsWith(`${this.model}:`) && payload.grantId === grantId) this.store.delete(key);
    }
  }

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  private findWhere(test: (payload: Payload) => boolean): Payload | undefined {
    const now = Date.now();
    for (const [key, { payload, expiresAt }] of this.store) {
      if (key.startsWith(`${this.model}:`) && expiresAt > now && test(payload)) return payload;
    }
    return undefined;
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, { expiresAt }] of this.store) if (expiresAt <= now) this.store.delete(key);
  }
}

/** Creates the provider; loads oidc-provider without its "Unsupported runtime" warning on Node 20. */
async function createProvider(issuer: string, configuration: Record<string, unknown>): Promise<Provider> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  const loaded = import('oidc-provider').finally(() => {
    console.warn = warn;
  });
  const { default: OidcProvider } = await loaded;
  return new OidcProvider(issuer, configuration);
}

/** A fresh RS256 key per start: tokens of one run never verify against another. */
function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

/** Stable opaque subject per email, so restarts and re-logins keep the same `sub`. */
function subjectFor(email: string): string {
  return `sbx-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 20)}`;
}
