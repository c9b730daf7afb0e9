import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openCredentialStore } from '../../../../electron/relay/credential-store';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

async function setup() {
  const dir = tempDataDir('quicksend-cred-');
  const cipher = createNodeCipher();
  const dataKey = await loadDataKey(dir, cipher);
  const file = path.join(dir, 'relay', 'credentials.json');
  let now = Date.UTC(2026, 5, 1);
  const clock = { now: () => now, set: (t: number) => (now = t) };
  const open = (onDamaged?: (reason: string) => Promise<void>) =>
    openCredentialStore({ file, dataKey, now: clock.now, ...(onDamaged ? { onDamaged } : {}) });
  return { dir, file, clock, open };
}

describe('credential store', () => {
  test('a new credential has a 256-bit password that only the create answer holds; the file keeps an HMAC under a sealed key', async () => {
    const { file, open } = await setup();
    const store = await open();
    const made = await store.create({
      programName: 'backup script',
      accountId: 'acc-1',
      rewriteFrom: false,
      sendLimitPerHour: 50,
    });
    expect(made.username).toMatch(/^qs-[a-z2-9]{10}$/);
    expect(Buffer.from(made.password, 'base64url')).toHaveLength(32);
    expect(made.credential).not.toHaveProperty('hash');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(made.password);
    const saved = JSON.parse(text) as { key: string; credentials: Array<{ hash: string }> };
    // The HMAC key is sealed (format byte, IV, tag, 32 bytes), never stored plain.
    expect(Buffer.from(saved.key, 'base64').length).toBe(1 + 12 + 16 + 32);
    expect(Buffer.from(saved.credentials[0]!.hash, 'base64')).toHaveLength(32);
    expect(store.list().map((c) => Object.keys(c).sort())).toEqual([
      [
        'accountId',
        'createdAt',
        'id',
        'lastUsedAt',
        'messageCount',
        'programName',
        'rewriteFrom',
        'sendLimitPerHour',
        'username',
      ],
    ]);
  });

  test('verify takes exactly the right username and password, across a reopen', async () => {
    const { open } = await setup();
    const store = await open();
    const a = await store.create({ programName: 'a', accountId: 'acc-1', rewriteFrom: false, sendLimitPerHour: 5 });
    const b = await store.create({ programName: 'b', accountId: 'acc-2', rewriteFrom: true, sendLimitPerHour: 5 });
    expect(store.verify(a.username, a.password)?.id).toBe(a.credential.id);
    expect(store.verify(a.username, b.password)).toBeNull();
    expect(store.verify(b.username, a.password)).toBeNull();
    expect(store.verify(a.username, `${a.password}x`)).toBeNull();
    expect(store.verify('qs-unknown', a.password)).toBeNull();
    expect(store.verify(a.username, '')).toBeNull();
    const again = await open();
    expect(again.verify(b.username, b.password)?.programName).toBe('b');
  });

  test('revoke and revokeForAccount remove credentials for good', async () => {
    const { open } = await setup();
    const store = await open();
    const a = await store.create({ programName: 'a', accountId: 'acc-1', rewriteFrom: false, sendLimitPerHour: 5 });
    const b = await store.create({ programName: 'b', accountId: 'acc-1', rewriteFrom: false, sendLimitPerHour: 5 });
    const c = await store.create({ programName: 'c', accountId: 'acc-2', rewriteFrom: false, sendLimitPerHour: 5 });
    expect(await store.revoke(a.credential.id)).toBe(true);
    expect(await store.revoke(a.credential.id)).toBe(false);
    expect(await store.revokeForAccount('acc-1')).toBe(1);
    const reopened = await open();
    expect(reopened.list().map((x) => x.programName)).toEqual(['c']);
    expect(reopened.verify(b.username, b.password)).toBeNull();
    expect(reopened.verify(c.username, c.password)).not.toBeNull();
  });

  test('sends of the last hour, counts and last-used times survive a restart', async () => {
    const { open, clock } = await setup();
    const store = await open();
    const { credential } = await store.create({
      programName: 'a',
      accountId: 'acc-1',
      rewriteFrom: false,
      sendLimitPerHour: 5,
    });
    const start = clock.now();
    store.recordSend(credential.id, start);
    store.recordSend(credential.id, start + 10 * 60_000);
    store.recordSignIn(credential.id, start + 20 * 60_000);
    await store.flush();
    const reopened = await open();
    expect(reopened.sentInLastHour(credential.id, start + 30 * 60_000)).toBe(2);
    expect(reopened.sentInLastHour(credential.id, start + 65 * 60_000)).toBe(1);
    expect(reopened.get(credential.id)).toMatchObject({
      messageCount: 2,
      lastUsedAt: new Date(start + 20 * 60_000).toISOString(),
    });
  });

  test('a damaged file is reported and the store starts empty; nothing that was in it verifies', async () => {
    const { file, open } = await setup();
    const store = await open();
    const a = await store.create({ programName: 'a', accountId: 'acc-1', rewriteFrom: false, sendLimitPerHour: 5 });
    await writeFile(file, '{"format":1,"key":"bm90IHNlYWxlZA==","credentials":[]}');
    const reasons: string[] = [];
    const reopened = await open(async (reason) => void reasons.push(reason));
    expect(reasons).toHaveLength(1);
    expect(reopened.list()).toEqual([]);
    expect(reopened.verify(a.username, a.password)).toBeNull();
  });
});
