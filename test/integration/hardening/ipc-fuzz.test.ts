/**
 * IPC fuzzing: for every contract channel, thousands of generated malformed payloads reach the
 * real core's router. Each must be refused with ipc.invalid_request before any handler runs,
 * leave the data directory byte-for-byte unchanged, and leave the router serving.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import { channelNames, channels, type Channel } from '../../../electron/ipc/contract';
import { createNodePorts, type NodePorts } from '../../support/node-ports';

const RUNS = Number(process.env.QUICKSEND_FUZZ_RUNS ?? 2000);
const SENDER = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };

let core: Core;
let ports: NodePorts;
const calls: string[] = [];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then');
const oddNumbers = fc.constantFrom(
  Number.NaN,
  -1,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e9,
  0.5,
);
const huge = fc.constantFrom('x'.repeat(20_000), 'é'.repeat(100_000), '\u0000'.repeat(5_000), 'a@b.c'.repeat(50_000));
const deep = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
});
const hugeArray = fc
  .integer({ min: 1_000, max: 20_000 })
  .map((n) => Array.from({ length: n }, (_, i) => `user${i}@example.com`));
const leaf = fc.oneof(fc.anything(), oddNumbers, huge, deep, hugeArray, fc.constant(undefined), fc.constant(null));
const withHostileKey = fc
  .tuple(hostileKeys, leaf)
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value ?? null) ?? 'null'}}`) as unknown);

/** Payloads of every malformed kind; the valid ones are filtered out per channel. */
function malformed(channel: Channel) {
  const shape = (channels[channel].request as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const knownKey = Object.keys(shape).length ? fc.constantFrom(...Object.keys(shape)) : fc.constant('extra');
  return fc
    .oneof(
      leaf,
      withHostileKey,
      fc.dictionary(fc.string(), leaf, { maxKeys: 6 }),
      // A known field with a wrong, odd, huge or nested value.
      fc.tuple(knownKey, leaf).map(([key, value]) => ({ [key]: value })),
      // A known field plus an extra one.
      fc
        .tuple(knownKey, fc.string({ minLength: 1 }), leaf)
        .map(([key, extra, value]) => ({ [key]: value, [`${extra}_x`]: 1 })),
    )
    .filter((payload) => !channels[channel].request.safeParse(payload).success);
}

beforeAll(async () => {
  ports = createNodePorts();
  core = await createCore(ports, {
    development: true,
    version: '0.0.0-fuzz',
    platform: 'linux',
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
  });
  // Spy on every handler: none may run for a malformed payload.
  const table = core.handlers as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const channel of channelNames) {
    const original = table[channel]!;
    table[channel] = (...args: unknown[]) => {
      calls.push(channel);
      return original(...args);
    };
  }
});

afterAll(async () => {
  await core.dispose();
});

test.each(channelNames)(
  '%s refuses every malformed payload before its handler runs',
  async (channel) => {
    const before = snapshot(ports.paths.dataDir);
    let count = 0;
    await fc.assert(
      fc.asyncProperty(malformed(channel), async (payload) => {
        count++;
        const result = await core.router.handle(channel, payload, SENDER);
        expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } });
      }),
      { numRuns: RUNS, seed: Number(process.env.QUICKSEND_FUZZ_SEED ?? 20261129) },
    );
    expect(count).toBeGreaterThanOrEqual(RUNS);
    expect(calls).toEqual([]);
    expect(snapshot(ports.paths.dataDir)).toEqual(before);
    // Still serving.
    expect(await core.router.handle('app:info', {}, SENDER)).toMatchObject({ ok: true });
    calls.length = 0;
  },
  120_000,
);
