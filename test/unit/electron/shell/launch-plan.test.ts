import { expect, test } from 'vitest';
import { launchAction } from '../../../../electron/shell/launch-plan';
import { mailtoStep, protocolClientArgs } from '../../../../electron/shell/mailto-registration';

const prefill = { to: ['a@example.com'], cc: [], bcc: [], subject: '', text: '', attachmentPaths: [] };

test('a compose request opens quick send, first or second launch, hidden or not', () => {
  expect(launchAction({ compose: prefill, hidden: true, problems: [] }, { first: true, openedAtLogin: true })).toEqual({
    type: 'compose',
    prefill,
  });
  expect(
    launchAction({ compose: prefill, hidden: false, problems: [] }, { first: false, openedAtLogin: false }),
  ).toEqual({ type: 'compose', prefill });
});

test('started at login: stays in the tray', () => {
  expect(launchAction({ compose: null, hidden: true, problems: [] }, { first: true, openedAtLogin: false })).toEqual({
    type: 'stay-hidden',
  });
  expect(launchAction({ compose: null, hidden: false, problems: [] }, { first: true, openedAtLogin: true })).toEqual({
    type: 'stay-hidden',
  });
});

test('a plain launch, and every plain second launch, shows the main window (reachable without a tray)', () => {
  expect(launchAction({ compose: null, hidden: false, problems: [] }, { first: true, openedAtLogin: false })).toEqual({
    type: 'show-main',
  });
  expect(launchAction({ compose: null, hidden: false, problems: [] }, { first: false, openedAtLogin: false })).toEqual({
    type: 'show-main',
  });
});

test('mailto: registration only on request, and unregistering only what is ours', () => {
  expect(mailtoStep(true, false)).toBe('register');
  expect(mailtoStep(true, true)).toBe('nothing');
  expect(mailtoStep(false, true)).toBe('unregister');
  expect(mailtoStep(false, false)).toBe('nothing');
  expect(protocolClientArgs({ defaultApp: true, execPath: '/e/electron', appPath: '/repo' })).toEqual({
    path: '/e/electron',
    args: ['/repo'],
  });
  expect(protocolClientArgs({ defaultApp: false, execPath: '/opt/q' })).toEqual({});
});
