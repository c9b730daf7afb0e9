/**
 * The question the tray's "Sign out of all accounts…" asks. Waiting messages cannot be sent
 * once every account is signed out, so the person chooses whether they are kept (to send after
 * signing in again) or deleted; Cancel is the default and what Esc answers.
 */
export type SignOutPrompt = {
  type: 'warning';
  message: string;
  detail: string;
  buttons: string[];
  defaultId: 0;
  cancelId: 0;
  /** Button index -> what to do. */
  choices: Array<{ signOut: false } | { signOut: true; deleteWaitingMessages: boolean }>;
};

export function signOutPrompt(accounts: number, waitingMessages: number): SignOutPrompt {
  const base = {
    type: 'warning' as const,
    message: `Sign out of ${accounts === 1 ? 'your account' : `all ${accounts} accounts`}?`,
    defaultId: 0 as const,
    cancelId: 0 as const,
  };
  if (waitingMessages === 0) {
    return {
      ...base,
      detail:
        'Quicksend forgets the sign-in and asks the provider to revoke it. You can add the accounts again at any time.',
      buttons: ['Cancel', 'Sign out'],
      choices: [{ signOut: false }, { signOut: true, deleteWaitingMessages: false }],
    };
  }
  const them = waitingMessages === 1 ? 'it' : 'them';
  return {
    ...base,
    detail: `${waitingMessages === 1 ? '1 message is' : `${waitingMessages} messages are`} still waiting to be sent. Keep ${them} to send after you sign in again, or delete ${them}.`,
    buttons: ['Cancel', `Sign out and keep ${them}`, `Sign out and delete ${them}`],
    choices: [
      { signOut: false },
      { signOut: true, deleteWaitingMessages: false },
      { signOut: true, deleteWaitingMessages: true },
    ],
  };
}
