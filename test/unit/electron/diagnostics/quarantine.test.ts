import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createEventBus } from '../../../../electron/ipc/event-bus';
import { createQuarantine, moveAside } from '../../../../electron/diagnostics/quarantine';
import { tempDataDir } from '../../../support/node-ports';

const clock = { now: () => Date.UTC(2030, 0, 2, 3, 4, 5, 6) };

test('moveAside renames to <name>.damaged-<timestamp> and never overwrites an earlier one', async () => {
  const dir = tempDataDir();
  const file = path.join(dir, 'vault.json');
  writeFileSync(file, 'first');
  expect(path.basename(await moveAside(file, 'test', clock))).toBe('vault.json.damaged-2030-01-02T03-04-05.006Z');
  writeFileSync(file, 'second');
  expect(path.basename(await moveAside(file, 'test', clock))).toBe('vault.json.damaged-2030-01-02T03-04-05.006Z-2');
  expect(readdirSync(dir).sort()).toEqual([
    'vault.json.damaged-2030-01-02T03-04-05.006Z',
    'vault.json.damaged-2030-01-02T03-04-05.006Z-2',
  ]);
  expect(readFileSync(path.join(dir, 'vault.json.damaged-2030-01-02T03-04-05.006Z'), 'utf8')).toBe('first');
});

test('a notice is emitted, kept for later windows (bounded), and refused if malformed', () => {
  const events = createEventBus();
  const seen: unknown[] = [];
  events.on('app:notice', (n) => seen.push(n));
  const quarantine = createQuarantine({ clock, events });
  for (let i = 0; i < 60; i++) quarantine.report({ level: 'warning', message: `n${i}` });
  expect(seen).toHaveLength(60);
  expect(quarantine.notices()).toHaveLength(50);
  expect(quarantine.notices()[49]).toEqual({ level: 'warning', message: 'n59' });
  expect(() => quarantine.report({ level: 'warning', message: 'x', secret: 'y' } as never)).toThrow();
  expect(quarantine.notices()).toHaveLength(50);
  expect(seen).toHaveLength(60);
});
