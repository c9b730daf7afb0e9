/**
 * How a sign-in's ending is shown: the stage of each ending, and no event of its own for a
 * superseded sign-in (the one that replaced it reports that).
 */
import { expect, test } from 'vitest';
import { createSignInProgress, failureStage } from '../../../../electron/accounts/sign-in-progress';
import { AppError } from '../../../../electron/shared/errors';
import { createEventBus } from '../../../../electron/ipc/event-bus';

test('each ending has its stage; a superseded sign-in has none', () => {
  expect(failureStage(new AppError('signin.cancelled', 'x'))).toBe('cancelled');
  expect(failureStage(new AppError('signin.timeout', 'x'))).toBe('timed-out');
  expect(failureStage(new AppError('signin.superseded', 'x'))).toBeUndefined();
  expect(failureStage(new AppError('signin.denied', 'x'))).toBe('failed');
  expect(failureStage(new TypeError('a bug'))).toBe('failed');
});

test('events carry the provider, the stage and the plain-words message', () => {
  const events = createEventBus();
  const seen: unknown[] = [];
  events.on('signin:progress', (payload) => seen.push(payload));
  const progress = createSignInProgress(events);
  progress.reached('google', 'waiting-for-browser', { signInUrl: 'https://accounts.google.com/o/oauth2/v2/auth?x=1' });
  progress.failed('google', new AppError('signin.timeout', 'The sign-in took too long.'));
  progress.failed('google', new AppError('signin.superseded', 'A newer sign-in replaced this one.'));
  progress.superseded('microsoft');
  progress.done('microsoft');
  expect(seen).toEqual([
    {
      providerId: 'google',
      stage: 'waiting-for-browser',
      signInUrl: 'https://accounts.google.com/o/oauth2/v2/auth?x=1',
    },
    { providerId: 'google', stage: 'timed-out', message: 'The sign-in took too long.' },
    { providerId: 'microsoft', stage: 'superseded', message: 'A newer sign-in replaced the earlier one.' },
    { providerId: 'microsoft', stage: 'done' },
  ]);
});
