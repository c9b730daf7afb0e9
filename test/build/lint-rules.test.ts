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
