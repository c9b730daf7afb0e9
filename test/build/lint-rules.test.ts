/** The architecture's lint rules must actually fire: Electron at the edge, raw IPC in its adapter. */
import { ESLint } from 'eslint';
import { expect, test } from 'vitest';

const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

const runtimeImport = "import { app } from 'electron';\nexport const x = app;\n";
const typeImport = "import type { App } from 'electron';\nexport type X = App;\n";
const storeImport = "import Store from 'electron-store';\nexport const s = Store;\n";
const rawIpc = "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n";

test('a runtime import of electron or electron-store outside the edge is an error', async () => {
  expect(await ruleIds(runtimeImport, 'electron/oauth/flow.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(storeImport, 'electron/settings/store.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(runtimeImport, 'electron/core.ts')).toContain('no-restricted-imports');
});

test('type imports are fine anywhere in electron/, runtime imports fine at the edge', async () => {
  expect(await ruleIds(typeImport, 'electron/oauth/flow.ts')).toEqual([]);
  expect(await ruleIds(runtimeImport, 'electron/main.ts')).toEqual([]);
  expect(await ruleIds(runtimeImport, 'electron/platform/tray.ts')).toEqual([]);
  expect(await ruleIds(storeImport, 'electron/platform/ports.ts')).toEqual([]);
});

test('raw ipcMain is allowed only in the IPC adapter', async () => {
  expect(await ruleIds(rawIpc, 'electron/platform/tray.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(rawIpc, 'electron/main.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(rawIpc, 'electron/platform/ipc-main.ts')).toEqual([]);
});

test('the renderer imports only types, and only from the contract', async () => {
  const value = "import { channels } from '../../electron/ipc/contract';\nexport const c = channels;\n";
  const type = "import type { Account } from '../../electron/ipc/contract';\nexport type A = Account;\n";
  const core = "import type { Core } from '../../electron/core';\nexport type C = Core;\n";
  expect(await ruleIds(value, 'renderer/src/x.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(core, 'renderer/src/x.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(type, 'renderer/src/x.ts')).toEqual([]);
});

test('the renderer may import the message rules as values, and no other electron/ module', async () => {
  const rules =
    "import { MESSAGE_LIMITS, formatBytes } from '../../../electron/mail/message-rules';\nexport const m = [MESSAGE_LIMITS, formatBytes];\n";
  const addresses =
    "import { parseMailbox } from '../../../electron/mail/addresses';\nexport const p = parseMailbox;\n";
  const lookalike = "import { x } from '../../../electron/mail/message-rules-extra';\nexport const y = x;\n";
  const contractValue =
    "import { MESSAGE_LIMITS } from '../../../electron/ipc/contract';\nexport const m = MESSAGE_LIMITS;\n";
  expect(await ruleIds(rules, 'renderer/src/lib/x.ts')).toEqual([]);
  expect(await ruleIds(addresses, 'renderer/src/lib/x.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(lookalike, 'renderer/src/lib/x.ts')).toContain('no-restricted-imports');
  // The contract re-exports the limits for main; the renderer still takes only types from it.
  expect(await ruleIds(contractValue, 'renderer/src/lib/x.ts')).toContain('no-restricted-imports');
});

test('the message rules import nothing, so they cannot bring Node into the renderer', async () => {
  expect(
    await ruleIds(
      "import { Buffer } from 'node:buffer';\nexport const b = Buffer;\n",
      'electron/mail/message-rules.ts',
    ),
  ).toContain('no-restricted-imports');
  expect(
    await ruleIds(
      "import { parseMailbox } from './addresses';\nexport const p = parseMailbox;\n",
      'electron/mail/message-rules.ts',
    ),
  ).toContain('no-restricted-imports');
  expect(await ruleIds('export const limit = 100;\n', 'electron/mail/message-rules.ts')).toEqual([]);
});

test('electron/shared/ is the ground floor: it imports nothing from the folders above it', async () => {
  const upward = "import type { Notice } from '../ipc/contract';\nexport type N = Notice;\n";
  const sideways = "import { AppError } from './errors';\nexport const E = AppError;\n";
  expect(await ruleIds(upward, 'electron/shared/logger.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(sideways, 'electron/shared/logger.ts')).toEqual([]);
  expect(await ruleIds(upward, 'electron/outbox/history.ts')).toEqual([]);
});

test('data read from disk or IPC is checked, not asserted into shape', async () => {
  const asserted = 'export const read = (text: string) => JSON.parse(text) as { paused: boolean };\n';
  const unknownFirst = 'export const read = (text: string): unknown => JSON.parse(text) as unknown;\n';
  const double = 'export const forged = (value: number) => value as unknown as string;\n';
  expect(await ruleIds(asserted, 'electron/outbox/outbox-store.ts')).toContain('no-restricted-syntax');
  expect(await ruleIds(asserted, 'renderer/src/lib/compose.ts')).toContain('no-restricted-syntax');
  expect(await ruleIds(double, 'electron/core.ts')).toContain('no-restricted-syntax');
  expect(await ruleIds(unknownFirst, 'electron/outbox/outbox-store.ts')).toEqual([]);
});
