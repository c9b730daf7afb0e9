import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createDraftStore, DRAFT_FILE, type DraftAtRest } from '../../../../electron/drafts/draft-store';
import { createFileRegistry } from '../../../../electron/files/file-registry';
import { createNodeCipher } from '../../../support/node-cipher';
import { memoryLogger } from '../../../fakes/logger';
import { tempDataDir } from '../../../support/node-ports';

const draft: DraftAtRest = {
  accountId: 'acc-1',
  to: ['ada@example.com'],
  cc: [],
  bcc: ['boss@example.com'],
  subject: 'Quarterly numbers',
  text: 'The secret plan is attached.',
  attachments: [{ path: '/home/ada/plan.pdf', name: 'plan.pdf', sizeBytes: 1234 }],
};
const clock = { now: () => Date.parse('2030-01-02T03:04:05.000Z') };
const holder = 'draft:1';
const files = () => createFileRegistry({ clock });

describe('draft store', () => {
  test('no draft yet answers null', async () => {
    const store = createDraftStore({ dataDir: tempDataDir(), cipher: createNodeCipher(), clock, files: files() });
    expect(await store.openFor(holder)).toBeNull();
  });

  test('a saved draft survives a restart, sealed at rest in an owner-only file', async () => {
    const dataDir = tempDataDir();
    const cipher = createNodeCipher();
    const registry = files();
    const store = createDraftStore({ dataDir, cipher, clock, files: registry });
    const fromWindow = {
      ...draft,
      attachments: [{ fileId: registry.register('/home/ada/plan.pdf'), name: 'plan.pdf', sizeBytes: 1234 }],
    };
    expect(await store.saveFor(holder, fromWindow)).toBe('2030-01-02T03:04:05.000Z');
    const file = path.join(dataDir, DRAFT_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file).toString('latin1');
    for (const plain of ['secret plan', 'ada@example.com', 'Quarterly', 'plan.pdf']) expect(raw).not.toContain(plain);
    expect(await createDraftStore({ dataDir, cipher, clock, files: files() }).get()).toEqual(draft);
  });

  test('saving null clears the draft', async () => {
    const dataDir = tempDataDir();
    const store = createDraftStore({ dataDir, cipher: createNodeCipher(), clock, files: files() });
    await store.save(draft);
    expect(await store.saveFor(holder, null)).toBeNull();
    expect(existsSync(path.join(dataDir, DRAFT_FILE))).toBe(false);
    expect(await store.get()).toBeNull();
  });

  test('rapid saves land in order: the last one wins', async () => {
    const store = createDraftStore({ dataDir: tempDataDir(), cipher: createNodeCipher(), clock, files: files() });
    await Promise.all(['a', 'b', 'c', 'd'].map((subject) => store.save({ ...draft, subject })));
    expect((await store.get())?.subject).toBe('d');
  });

  test('a corrupt draft file is ignored (logged), not a crash', async () => {
    const dataDir = tempDataDir();
    const { logger, records } = memoryLogger();
    const store = createDraftStore({ dataDir, cipher: createNodeCipher(), clock, files: files(), logger });
    await store.save(draft);
    writeFileSync(path.join(dataDir, DRAFT_FILE), Buffer.from('not sealed at all, just junk bytes here'));
    expect(await store.get()).toBeNull();
    expect(records.some((r) => r.message === 'could not open the saved draft')).toBe(true);
  });
});
