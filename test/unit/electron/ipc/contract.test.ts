import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { channels, events } from '../../../../electron/ipc/contract';

/** Names that must never be a field of anything the renderer receives. */
const SECRET_FIELD = /token|secret|password|verifier|^code$|authorization|cookie|credential|private/i;

function fieldNames(schema: z.ZodType, seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { def: Record<string, unknown> }).def;
  const out: string[] = [];
  if (schema instanceof z.ZodObject) {
    for (const [key, value] of Object.entries(schema.shape)) out.push(key, ...fieldNames(value as z.ZodType, seen));
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
    const schemas = [...Object.values(channels).map((c) => c.response), ...Object.values(events)];
    const fields = schemas.flatMap((s) => fieldNames(s as z.ZodType));
    expect(fields.length).toBeGreaterThan(5);
    expect(fields.filter((f) => SECRET_FIELD.test(f))).toEqual([]);
  });

  test('the walker does find a secret field when one exists (it can fail)', () => {
    const leaky = z.object({ account: z.array(z.object({ refreshToken: z.string() })) });
    expect(fieldNames(leaky).filter((f) => SECRET_FIELD.test(f))).toEqual(['refreshToken']);
  });

  test('every request schema refuses extra keys', () => {
    for (const [name, { request }] of Object.entries(channels)) {
      expect(request.safeParse({ unexpected: true }).success, name).toBe(false);
    }
  });
});
