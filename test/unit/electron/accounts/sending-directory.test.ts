/**
 * What the sending side reads about an account: its SMTP facts with the account's own CA added
 * to the provider's, nothing for an account or provider that is gone, and "needs sign-in" that
 * also drops the cached access token.
 */
import { describe, expect, test } from 'vitest';
import { createAccountStore, type AccountRecord } from '../../../../electron/accounts/account-store';
import { sandboxProvider } from '../../../../electron/accounts/providers';
import { createSendingDirectory } from '../../../../electron/accounts/sending-directory';
import { createMemoryStore } from '../../../fakes/memory-store';

const provider = sandboxProvider({
  issuer: 'https://id.example.com',
  smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', extraCa: 'PROVIDER-CA' },
  mailScope: 'mail',
});
const record: AccountRecord = {
  id: 'acc-1',
  providerId: provider.id,
  address: 'ada@example.com',
  fromAddress: 'ada+news@example.com',
  displayName: 'Ada',
  subject: 'sub-1',
  needsSignIn: false,
  lastUsedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

function setup() {
  const records = createAccountStore(createMemoryStore());
  const calls: string[] = [];
  const directory = createSendingDirectory({
    records,
    providers: { find: (id) => (id === provider.id ? provider : undefined) },
    tokens: { invalidate: (id) => void calls.push(`invalidate ${id}`) },
    accountList: { markNeedsSignIn: (id, reason) => void calls.push(`needs sign-in ${id}: ${reason}`) },
    lastUsed: { touch: (id) => void calls.push(`touch ${id}`) },
  });
  return { records, directory, calls };
}

describe('the sending directory', () => {
  test("an account sends as its From address, logs in as its address, through its provider's server", () => {
    const { records, directory } = setup();
    records.put(record);
    expect(directory.get(record.id)).toEqual({
      id: record.id,
      providerId: provider.id,
      login: 'ada@example.com',
      fromAddress: 'ada+news@example.com',
      displayName: 'Ada',
      smtp: provider.smtp,
      attachmentLimitBytes: provider.attachmentLimitBytes,
    });
  });

  test("the account's own CA adds to the provider's", () => {
    const { records, directory } = setup();
    records.put({ ...record, extraCa: 'ACCOUNT-CA' });
    expect(directory.get(record.id)?.smtp).toEqual({ ...provider.smtp, extraCa: 'PROVIDER-CA\nACCOUNT-CA' });
  });

  test('nothing for an unknown account or one whose provider is gone', () => {
    const { records, directory } = setup();
    records.put({ ...record, providerId: 'custom-gone' });
    expect(directory.get(record.id)).toBeUndefined();
    expect(directory.get('acc-nobody')).toBeUndefined();
  });

  test('needs sign-in drops the cached access token first; touch is recorded', async () => {
    const { directory, calls } = setup();
    await directory.markNeedsSignIn('acc-1', '535 5.7.8 Authentication failed');
    directory.touch('acc-1');
    expect(calls).toEqual(['invalidate acc-1', 'needs sign-in acc-1: 535 5.7.8 Authentication failed', 'touch acc-1']);
  });
});
