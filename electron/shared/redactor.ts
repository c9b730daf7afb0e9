/**
 * Masks secrets before anything reaches a log sink. Two layers, because neither alone is
 * enough: code that holds a secret registers its exact value (caught in every encoding it is
 * likely to travel in), and patterns catch well-known credential shapes nobody registered
 * (JWTs, `Bearer`, XOAUTH2, `Authorization`, OAuth query parameters, secret field names).
 * Modelled on Signal Desktop's `ts/util/privacy.node.ts`. Over-masking is the safe failure.
 */

import { isOwnErrorCode } from './errors';

/** What every masked value becomes; exported so tests and readers can recognise it. */
export const REDACTED = '[REDACTED]';

/** A registry of live secrets plus the pattern rules; one per process, shared by all loggers. */
export interface Redactor {
  /** Remember a secret (ignored below 8 characters: too short to mask without noise). */
  register(secret: string): void;
  /** Stop masking a secret, e.g. once a rotated token can no longer be used. */
  forget(secret: string): void;
  /** Mask registered secrets and known credential patterns inside one string. */
  redactString(text: string): string;
  /** A masked, JSON-friendly deep copy; the input is never mutated. */
  redact(value: unknown): unknown;
}

const MIN_SECRET_LENGTH = 8;
// Deep enough for any real log payload; beyond it the value is dropped, which never leaks.
const MAX_DEPTH = 100;
// Nested base64 (base64 of base64 of a token) is unwrapped this many times.
const MAX_DECODE_DEPTH = 2;

// Field names compared lowercase without '_' / '-', so access_token, accessToken and
// Access-Token are one entry. body/text/html: message contents must never be logged.
const SECRET_FIELDS = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'code',
  'codeverifier',
  'clientsecret',
  'password',
  'pass',
  'secret',
  'token',
  'authorization',
  'proxyauthorization',
  'apikey',
  'cookie',
  'setcookie',
  'body',
  'text',
  'html',
]);
// Errors carry `code` as well (ECONNRESET, SMTP_AUTH_FAILED, our own `smtp.transient`). Those
// are the most useful part of a failure log and never look like an OAuth code, which is opaque
// mixed-case text with digits (Google `4/0Ab...`, Microsoft `M.C5_BAY.2.U...`).
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

const NOT_MASKED = String.raw`(?!\\?["']?\[REDACTED\])`;
// Names that are unambiguous in free text as `name: value`, `name=value` or `"name":"value"`.
const STRONG_KEYS = String.raw`access[_-]?token|refresh[_-]?token|id[_-]?token|code[_-]?verifier|client[_-]?secret|passw(?:or)?d|api[_-]?key|authorization`;
// Short names are masked in text only as URL/form parameters (`?code=`, `&token=`),
// including inside an URL-encoded redirect (`%3Fcode%3D`).
const QUERY_KEYS = `${STRONG_KEYS}|code|token|secret|pass`;

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// RFC 6750 b64token, plus '%' for URL-encoded copies; `Bearer%20x` and `Bearer+x` too.
const BEARER = /\b(bearer)(\s+|%20|\+)(?!\[REDACTED\])([A-Za-z0-9\-._~+/%]+=*)/gi;
// XOAUTH2: `user=<mail>^Aauth=Bearer <token>^A^A` (developers.google.com/gmail/imap/xoauth2-protocol).
const XOAUTH2 = /((?:\x01|\\u0001|\^A)auth=)(?!\[REDACTED\])((?:(?!\\u0001)[^\x01])+)/gi;
// Header lines; stops at a real or JSON-escaped line break so the next header survives.
const HEADER =
  /\b((?:proxy-)?authorization|set-cookie|cookie)([ \t]*:[ \t]*)(?!\[REDACTED\])((?:(?!\\[rn])[^\r\n])+)/gi;
const KEY_VALUE = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${STRONG_KEYS})(\\?["']?[ \t]*[:=][ \t]*)${NOT_MASKED}` +
    String.raw`(\\"(?:(?!\\")[\s\S])*\\"|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\\?["']?[^\s"'&,;}\]\\]+)`,
  'gi',
);
const QUERY = new RegExp(
  String.raw`((?:^|[?&#;\s]|%3F|%26|%23)(?:${QUERY_KEYS})(?:=|%3D))${NOT_MASKED}((?:(?!%26)[^&#\s"'\\])+)`,
  'gi',
);
// Candidate base64 / base64url blobs worth decoding to look inside.
const BASE64_BLOB = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const DECODED_XOAUTH2 = /auth=bearer|\x01auth=/i;

/** Builds a redactor with an empty registry; see {@link Redactor}. */
export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  let secretPattern: RegExp | null = null;
  let dirty = false;

  function registeredPattern(): RegExp | null {
    if (dirty) {
      const forms = new Set<string>();
      for (const secret of secrets) for (const form of secretForms(secret)) forms.add(form);
      // Longest first: at one position the regex takes the first alternative that matches,
      // so a whole padded base64 wins over its shorter alignment-independent core.
      const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
      secretPattern = sorted.length > 0 ? new RegExp(sorted.join('|'), 'g') : null;
      dirty = false;
    }
    return secretPattern;
  }

  function redactText(text: string, decodeDepth: number): string {
    const pattern = registeredPattern();
    let out = pattern ? text.replace(pattern, REDACTED) : text;
    out = out.replace(JWT, REDACTED);
    out = out.replace(BASE64_BLOB, (blob) => (encodesSecret(blob, decodeDepth) ? REDACTED : blob));
    out = out.replace(XOAUTH2, (_m, head: string) => head + REDACTED);
    out = out.replace(HEADER, (_m, name: string, sep: string) => name + sep + REDACTED);
    out = out.replace(BEARER, (_m, word: string, sep: string) => word + sep + REDACTED);
    out = out.replace(KEY_VALUE, (_m, key: string, sep: string, value: string) => key + sep + maskQuoted(value));
    return out.replace(QUERY, (_m, head: string) => head + REDACTED);
  }

  // A blob is masked when what it decodes to would itself be masked: base64 XOAUTH2 on the
  // SMTP wire, base64 of a registered token, of a JWT, of a `Basic` credential and so on.
  function encodesSecret(blob: string, decodeDepth: number): boolean {
    if (decodeDepth >= MAX_DECODE_DEPTH) return false;
    const decoded = Buffer.from(blob, 'base64').toString('utf8');
    if (DECODED_XOAUTH2.test(decoded)) return true;
    return redactText(decoded, decodeDepth + 1) !== decoded;
  }

  const redactString = (text: string): string => redactText(text, 0);

  return {
    register(secret) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
      secrets.add(secret);
      dirty = true;
    },
    forget(secret) {
      if (secrets.delete(secret)) dirty = true;
    },
    redactString,
    redact: (value) => redactValue(value, redactString, new Set(), 0),
  };
}

/** The ways a secret shows up in logs: raw, JSON-escaped, URL/form-encoded, base64(url). */
function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const forms = [
    secret,
    json,
    json.replace(/\//g, '\\/'), // serialisers that escape '/' (PHP, some Java)
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    uri.replace(/%20/g, '+'),
    new URLSearchParams([['', secret]]).toString().slice(1), // WHATWG form encoding
  ];
  for (const b64 of base64Forms(secret))
    forms.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH - 2);
}

/**
 * The whole-string base64, plus for each of the 3 byte alignments the characters that depend
 * only on the secret: a secret inside a larger base64 payload (a `Basic` header, a SASL blob,
 * a MIME part) starts at any offset modulo 3, and the characters at its edges mix in
 * neighbouring bytes, so only this core is stable.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [bytes.toString('base64')];
  for (const shift of [0, 1, 2] as const) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const total = shift + bytes.length;
    // Leading chars 0/2/3 contain prefix bits; a trailing partial group keeps 1 or 2 clean chars.
    const start = [0, 2, 3][shift] ?? 0;
    const end = Math.floor(total / 3) * 4 + (total % 3);
    forms.push(encoded.slice(start, end));
  }
  return forms;
}

function maskQuoted(value: string): string {
  if (value.startsWith('\\"') && value.length >= 4 && value.endsWith('\\"')) return `\\"${REDACTED}\\"`;
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) return quote + REDACTED + quote;
  return REDACTED;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isSecretField(key: string, value: unknown): boolean {
  if (value === null || value === undefined) return false; // "token: undefined" is a useful fact
  const name = key.toLowerCase().replace(/[-_]/g, '');
  if (!SECRET_FIELDS.has(name)) return false;
  if (
    name === 'code' &&
    (typeof value === 'number' || (typeof value === 'string' && (ERROR_CODE.test(value) || isOwnErrorCode(value))))
  )
    return false;
  return true;
}

type Mask = (text: string) => string;

/** Walks any value into a masked copy; `path` holds the ancestors, to cut cycles only. */
function redactValue(value: unknown, mask: Mask, path: Set<object>, depth: number): unknown {
  if (typeof value === 'string') return mask(value);
  if (typeof value === 'bigint' || typeof value === 'symbol') return mask(value.toString());
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (typeof value !== 'object' || value === null) return value;
  if (path.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  path.add(value);
  try {
    return redactObject(value, (child) => redactValue(child, mask, path, depth + 1), mask);
  } catch {
    return '[Unreadable]'; // a throwing getter or a revoked Proxy must not break logging
  } finally {
    path.delete(value);
  }
}

function redactObject(value: object, walk: (child: unknown) => unknown, mask: Mask): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof URL) return mask(value.href);
  // Bytes are never logged: a Buffer would serialise its secret as a list of numbers.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
    return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map(walk);
  if (value instanceof Set) return [...value].map(walk);
  // Maps and Errors become plain objects: JSON.stringify would write them as `{}`.
  if (value instanceof Map) return fromEntries([...value.entries()], walk, mask);
  if (value instanceof Error) return redactError(value, walk, mask);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(value));
  return fromEntries(Object.entries(value), walk, mask);
}

function redactError(error: Error, walk: (child: unknown) => unknown, mask: Mask): Record<string, unknown> {
  const out = fromEntries(Object.entries(error), walk, mask);
  out.name = mask(String(error.name));
  out.message = mask(String(error.message));
  if (error.stack !== undefined) out.stack = mask(String(error.stack));
  if ('cause' in error) out.cause = walk(error.cause);
  if (error instanceof AggregateError) out.errors = walk(error.errors);
  return out;
}

function fromEntries(
  entries: Array<[unknown, unknown]>,
  walk: (child: unknown) => unknown,
  mask: Mask,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, child] of entries) {
    const key =
      typeof rawKey === 'string' ? rawKey : typeof rawKey === 'object' && rawKey !== null ? '[object]' : String(rawKey);
    // defineProperty: a key named "__proto__" must stay data, not replace the prototype.
    Object.defineProperty(out, mask(key), {
      value: isSecretField(key, child) ? REDACTED : walk(child),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
