import { expect, test } from 'vitest';
import { quitPrompt, shouldAskBeforeQuit } from '../../../../electron/shell/quit-prompt';
import { signOutPrompt } from '../../../../electron/shell/sign-out-prompt';

const items = (...states: string[]) => states.map((state) => ({ state })) as Array<{ state: 'waiting' }>;

test('asks only while messages would still go out', () => {
  const ask = (outbox: ReturnType<typeof items>, extra = {}) =>
    shouldAskBeforeQuit({ outbox, confirmed: false, systemShutdown: false, ...extra });
  expect(ask(items())).toBe(false);
  expect(ask(items('failed', 'needs-sign-in', 'paused'))).toBe(false);
  expect(ask(items('waiting'))).toBe(true);
  expect(ask(items('retrying'))).toBe(true);
  expect(ask(items('sending'))).toBe(true);
  expect(ask(items('waiting'), { confirmed: true })).toBe(false);
  expect(ask(items('waiting'), { systemShutdown: true })).toBe(false);
});

test('the question: keep running is the default and the cancel answer', () => {
  const prompt = quitPrompt(items('waiting', 'retrying'));
  expect(prompt).toMatchObject({
    message: '2 messages are still waiting to be sent.',
    buttons: ['Keep Quicksend running', 'Quit anyway'],
    defaultId: 0,
    cancelId: 0,
    quitId: 1,
  });
  expect(prompt.detail).toMatch(/they stay in the outbox and go out the next time/);
  expect(quitPrompt(items('waiting')).message).toBe('1 message is still waiting to be sent.');
});

test('a message being sent right now is called out (it may arrive twice)', () => {
  expect(quitPrompt(items('sending')).detail).toMatch(/being sent right now.*twice/);
  expect(quitPrompt(items('waiting')).detail).not.toMatch(/right now/);
});

test('sign out of all: with no waiting messages, Cancel or Sign out', () => {
  const prompt = signOutPrompt(2, 0);
  expect(prompt.message).toBe('Sign out of all 2 accounts?');
  expect(prompt.buttons).toEqual(['Cancel', 'Sign out']);
  expect(prompt.choices).toEqual([{ signOut: false }, { signOut: true, deleteWaitingMessages: false }]);
});

test('sign out of all: waiting messages are kept or deleted, by choice', () => {
  const prompt = signOutPrompt(1, 3);
  expect(prompt.message).toBe('Sign out of your account?');
  expect(prompt.buttons).toEqual(['Cancel', 'Sign out and keep them', 'Sign out and delete them']);
  expect(prompt.choices[2]).toEqual({ signOut: true, deleteWaitingMessages: true });
  expect(prompt.cancelId).toBe(0);
});
