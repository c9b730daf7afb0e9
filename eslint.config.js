// Lint rules that hold the architecture in place (ARCHITECTURE.md section 2 and 3):
// Electron stays at the edge, raw IPC stays in its adapter, the renderer only sees contract types
// and the message rules (the one module both processes import as a value).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const electronAtRuntime = {
  paths: [
    {
      name: 'electron',
      allowTypeImports: true,
      message:
        'Only electron/main.ts, electron/preload.ts and electron/platform/** may import Electron at run time; use a port (electron/shared/ports.ts).',
    },
    {
      name: 'electron-store',
      allowTypeImports: true,
      message: 'electron-store loads Electron: use the KeyValueStore port outside electron/platform/**.',
    },
  ],
};

const rawIpc = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message:
        'Raw IPC belongs in electron/platform/ipc-main.ts and electron/preload.ts only; go through the contract.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.stand-in-electron/**', '.tmp-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/platform/**'],
    rules: { 'no-restricted-imports': ['error', electronAtRuntime] },
  },
  {
    files: ['electron/main.ts', 'electron/platform/**/*.ts'],
    ignores: ['electron/platform/ipc-main.ts'],
    rules: { 'no-restricted-imports': ['error', rawIpc] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronAtRuntime.paths,
          patterns: [
            {
              regex: '(^|/)electron/(?!ipc/contract$|mail/message-rules$)',
              message:
                'The renderer may import types from electron/ipc/contract.ts and values from electron/mail/message-rules.ts only.',
            },
            {
              regex: '(^|/)electron/ipc/contract$',
              allowTypeImports: true,
              message: 'The renderer may import types (import type) from the contract, never values.',
            },
            { group: ['node:*'], message: 'The renderer has no Node.' },
          ],
        },
      ],
    },
  },
  {
    // Data read from disk or IPC is checked (zod, or a type guard), never asserted into shape:
    // `JSON.parse(...) as T` and double assertions (`as unknown as T`) hide a file from another
    // version or a forged payload until it fails somewhere far from where it was read.
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "TSAsExpression[expression.type='CallExpression'][expression.callee.object.name='JSON'][expression.callee.property.name='parse']:not([typeAnnotation.type='TSUnknownKeyword'])",
          message: 'Check what JSON.parse read (a zod schema or a type guard) instead of asserting its type.',
        },
        {
          selector: 'TSAsExpression > TSAsExpression.expression',
          message: 'No double type assertions: check the value, or fix the types.',
        },
      ],
    },
  },
  {
    // The ground floor (ARCHITECTURE.md section 1): logger, redaction, ports, errors and atomic
    // files import nothing above them, so any module may use them without a loop.
    files: ['electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronAtRuntime.paths,
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'electron/shared/ is the ground floor: it imports nothing from the folders above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer imports the message rules as a value, so they bring nothing with them.
    files: ['electron/mail/message-rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '.', message: 'electron/mail/message-rules.ts runs in the renderer too: it imports nothing.' },
          ],
        },
      ],
    },
  },
  {
    // XOAUTH2 separates its fields with \x01, so the redactor must match that byte.
    files: ['electron/shared/redactor.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  // Formatting is Prettier's (.prettierrc.json, checked by `npm run lint`): style rules that would fight it are off.
  prettier,
);
