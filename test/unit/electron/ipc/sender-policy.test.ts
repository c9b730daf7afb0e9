import { expect, test } from 'vitest';
import { isTrustedSender } from '../../../../electron/ipc/sender-policy';
import { createAppSenderPolicy } from '../../../../electron/ipc/app-sender-policy';

const policy = createAppSenderPolicy((id) => id === 1);

test('our page in our window is trusted', () => {
  expect(isTrustedSender({ frameUrl: 'app://quicksend/index.html', isMainFrame: true, windowId: 1 }, policy)).toBe(
    true,
  );
});

test.each([
  ['an unknown window', { frameUrl: 'app://quicksend/index.html', isMainFrame: true, windowId: 2 }],
  ['no window', { frameUrl: 'app://quicksend/index.html', isMainFrame: true }],
  ['a sub-frame', { frameUrl: 'app://quicksend/index.html', isMainFrame: false, windowId: 1 }],
  ['a remote page', { frameUrl: 'https://accounts.google.com/', isMainFrame: true, windowId: 1 }],
  ['another app:// host', { frameUrl: 'app://other/index.html', isMainFrame: true, windowId: 1 }],
  ['a file:// page', { frameUrl: 'file:///tmp/x.html', isMainFrame: true, windowId: 1 }],
  ['garbage', { frameUrl: '::::', isMainFrame: true, windowId: 1 }],
])('%s is not trusted', (_name, facts) => {
  expect(isTrustedSender(facts, policy)).toBe(false);
});
