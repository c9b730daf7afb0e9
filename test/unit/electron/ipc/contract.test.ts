import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { channels, events } from '../../../../electron/ipc/contract';

/** Names that must never be a field of anything the renderer receives. */
const SECRET_FIELD = /token|secret|password|verifier|^code$|authorization|cookie|credential|private/i;

/** The error's `code` is a stable code our own code sets (`mail.invalid_address`), not an OAuth code. */
const ALLOWED = new Set(['code']);

/**
 * The one secret that crosses the bridge on purpose: the relay password Quicksend makes for a
 * program (issue 16 item 2). It exists only in this answer, for the person to copy once into
 * that program; Quicksend keeps only a keyed hash, and no list, event or other answer has it.
 */
const ONE_TIME_SECRET = { channel: 'relay:createCredential', field: 'password' } as const;

/** Top-level field names of a channel's response object (empty for non-objects). */
function topLevelFields(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Whether a value of this schema could hold free text (booleans, numbers and enums cannot). */
function canHoldText(schema: z.ZodType): boolean {
  if (
    schema instanceof z.ZodBoolean ||
    schema instanceof z.ZodNumber ||
    schema instanceof z.ZodEnum ||
    schema instanceof z.ZodLiteral
  )
    return false;
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return canHoldText(schema.unwrap() as z.ZodType);
  return true;
}

/** Names of the fields that could carry text, at any depth. */
function fieldNames(schema: z.ZodType, seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { def: Record<string, unknown> }).def;
  const out: string[] = [];
  if (schema instanceof z.ZodObject) {
    for (const [key, value] of Object.entries(schema.shape)) {
      if (canHoldText(value as z.ZodType)) out.push(key);
      out.push(...fieldNames(value as z.ZodType, seen));
    }
    return out;
  }
  for (const value of Object.values(def)) {
    if (value instanceof z.ZodType) out.push(...fieldNames(value, seen));
    if (Array.isArray(value)) for (const v of value) if (v instanceof z.ZodType) out.push(...fieldNames(v, seen));
  }
  return out;
}

describe('contract', () => {
  test('channel names are domain:action', () => {
    for (const name of [...Object.keys(channels), ...Object.keys(events)]) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  test('no response or event schema has a field that could carry a secret', () => {
    const schemas = [
      ...Object.entries(channels).map(([name, c]) =>
        name === ONE_TIME_SECRET.channel
          ? (c.response as z.ZodObject).omit({ [ONE_TIME_SECRET.field]: true })
          : c.response,
      ),
      ...Object.values(events),
    ];
    const fields = schemas.flatMap((s) => fieldNames(s as z.ZodType));
    expect(fields.length).toBeGreaterThan(5);
    expect(fields.filter((f) => SECRET_FIELD.test(f) && !ALLOWED.has(f))).toEqual([]);
  });

  test('the relay password appears once, at the top of the create answer, and nowhere else', () => {
    const create = channels[ONE_TIME_SECRET.channel].response as z.ZodType;
    expect(topLevelFields(create)).toContain(ONE_TIME_SECRET.field);
    expect(fieldNames(create).filter((f) => SECRET_FIELD.test(f))).toEqual([ONE_TIME_SECRET.field]);
    // The listing and the event carry the program's sign-ins without any secret.
    for (const schema of [
      channels['relay:listCredentials'].response,
      channels['relay:updateCredential'].response,
      events['relay:changed'],
    ]) {
      expect(fieldNames(schema as z.ZodType).filter((f) => SECRET_FIELD.test(f) && !ALLOWED.has(f))).toEqual([]);
    }
  });

  test('the walker does find a secret field when one exists (it can fail)', () => {
    const leaky = z.object({ account: z.array(z.object({ refreshToken: z.string(), hasToken: z.boolean() })) });
    expect(fieldNames(leaky).filter((f) => SECRET_FIELD.test(f))).toEqual(['refreshToken']);
  });

  // Issue 13 item 2: the renderer never handles file paths. Files cross the bridge as opaque file
  // ids main hands out; a path in a response would be a path the renderer could learn and keep.
  test('no request, response or event schema has a field for a file path', () => {
    const PATH_FIELD = /path/i;
    const requests = Object.values(channels).flatMap((c) => fieldNames(c.request as z.ZodType));
    // The one exception: where main itself wrote the diagnostics file, so the person can find
    // it. No request takes a path, so the renderer can do nothing with it.
    const responses = Object.entries(channels).flatMap(([name, c]) =>
      name === 'diagnostics:export' ? [] : fieldNames(c.response as z.ZodType),
    );
    const payloads = Object.values(events).flatMap((e) => fieldNames(e as z.ZodType));
    expect(requests.filter((f) => PATH_FIELD.test(f))).toEqual([]);
    expect(responses.filter((f) => PATH_FIELD.test(f))).toEqual([]);
    expect(payloads.filter((f) => PATH_FIELD.test(f))).toEqual([]);
    expect(Object.keys((channels['diagnostics:export'].response as z.ZodObject).shape)).toEqual(['path', 'records']);
  });

  test('every request schema refuses extra keys', () => {
    for (const [name, { request }] of Object.entries(channels)) {
      expect(request.safeParse({ unexpected: true }).success, name).toBe(false);
    }
  });
});

describe('outbox ids', () => {
  // Ids are the ones Quicksend makes (outbox-store's newOutboxId); anything else is refused at
  // the contract, before a handler could use it as a key or a folder name.
  test.each(['outbox:cancel', 'outbox:retryNow'] as const)('%s refuses ids Quicksend never makes', async (channel) => {
    const { newOutboxId } = await import('../../../../electron/outbox/outbox-store');
    const schema = channels[channel].request;
    for (const id of [
      '__proto__',
      'constructor',
      '../../etc',
      '../outbox/x',
      'a',
      'mh3k2q9zz-00112233445',
      'MH3K2Q9ZZ-001122334455',
      `${newOutboxId(Date.now())}\n`,
      `${newOutboxId(Date.now())}/..`,
    ]) {
      expect(schema.safeParse({ id }).success, id).toBe(false);
    }
    for (const now of [0, Date.now(), Date.UTC(2200, 0, 1)])
      expect(schema.safeParse({ id: newOutboxId(now) }).success).toBe(true);
  });
});

describe('custom provider authorization parameters', () => {
  const base = {
    name: 'Work',
    issuer: 'https://login.example.org',
    clientId: 'cid',
    scopes: ['openid'],
    smtp: { host: 'smtp.example.org', port: 587, security: 'starttls' },
  };
  const parse = (extraAuthorizationParams: unknown) =>
    channels['providers:addCustom'].request.safeParse({ ...base, extraAuthorizationParams });

  test.each([
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'redirect_uri',
    'response_type',
    'client_id',
    'scope',
    'prompt',
    'request',
    'request_uri',
    'response_mode',
    'claims',
  ])('a provider may not set %s', (key) => {
    const result = parse({ [key]: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(key);
  });

  test('__proto__ and constructor are refused, not merged', () => {
    expect(parse(JSON.parse('{"__proto__": "x"}')).success).toBe(false);
    expect(parse({ constructor: 'x' }).success).toBe(false);
  });

  test('allowed keys with plain, bounded strings pass', () => {
    expect(
      parse({
        hd: 'example.org',
        domain_hint: 'example.org',
        resource: 'https://api.example.org',
        audience: 'mail',
        access_type: 'offline',
      }).success,
    ).toBe(true);
    expect(parse({ hd: 'x'.repeat(257) }).success).toBe(false);
    expect(parse({ hd: 'line\nbreak' }).success).toBe(false);
    expect(parse({ hd: 42 }).success).toBe(false);
  });
});
