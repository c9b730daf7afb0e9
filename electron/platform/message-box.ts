/**
 * A shell prompt (shell/sign-out-prompt.ts, shell/quit-prompt.ts) as Electron's message box
 * options: the wording and buttons are decided in shell/, this only adds the platform's look.
 */
import type { MessageBoxOptions } from 'electron';

type Prompt = Pick<MessageBoxOptions, 'message' | 'detail' | 'buttons' | 'defaultId' | 'cancelId'> & {
  type: NonNullable<MessageBoxOptions['type']>;
};

export function messageBoxOptions(prompt: Prompt): MessageBoxOptions {
  const { type, message, detail, buttons, defaultId, cancelId } = prompt;
  // Plain buttons, never Windows' command links, so the button order stays as written.
  return { type, message, detail, buttons, defaultId, cancelId, noLink: true };
}
