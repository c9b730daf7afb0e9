/**
 * Whether quitting should ask first, and what the question says. Only messages that would
 * go out if Quicksend kept running count (waiting, retrying, being sent): paused, failed and
 * needs-sign-in messages stay in the outbox either way. A system shutdown or logout never
 * waits for an answer, since a dialog there blocks the person's logout.
 */
import type { OutboxItem } from '../ipc/contract';

export type QuitContext = {
  outbox: readonly Pick<OutboxItem, 'state'>[];
  /** The person already answered "Quit anyway" for this quit. */
  confirmed: boolean;
  /** powerMonitor reported shutdown, or the session is ending. */
  systemShutdown: boolean;
};

export function messagesThatWouldSend(outbox: readonly Pick<OutboxItem, 'state'>[]): {
  waiting: number;
  sending: number;
} {
  return {
    waiting: outbox.filter((i) => i.state === 'waiting' || i.state === 'retrying').length,
    sending: outbox.filter((i) => i.state === 'sending').length,
  };
}

export function shouldAskBeforeQuit(context: QuitContext): boolean {
  if (context.confirmed || context.systemShutdown) return false;
  const { waiting, sending } = messagesThatWouldSend(context.outbox);
  return waiting + sending > 0;
}

export type QuitPrompt = {
  type: 'question';
  message: string;
  detail: string;
  buttons: [string, string];
  /** Index of "Keep Quicksend running": the default and what Esc answers. */
  defaultId: 0;
  cancelId: 0;
  /** Index of "Quit anyway". */
  quitId: 1;
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function quitPrompt(outbox: readonly Pick<OutboxItem, 'state'>[]): QuitPrompt {
  const { waiting, sending } = messagesThatWouldSend(outbox);
  const total = waiting + sending;
  const detail = [
    `If you quit now, ${total === 1 ? 'it stays' : 'they stay'} in the outbox and ${total === 1 ? 'goes' : 'go'} out the next time Quicksend runs.`,
    sending > 0
      ? `${plural(sending, 'message is', 'messages are')} being sent right now; quitting may stop ${sending === 1 ? 'it' : 'them'} halfway, and the server may then get ${sending === 1 ? 'it' : 'them'} twice.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    type: 'question',
    message: `${plural(total, 'message is', 'messages are')} still waiting to be sent.`,
    detail,
    buttons: ['Keep Quicksend running', 'Quit anyway'],
    defaultId: 0,
    cancelId: 0,
    quitId: 1,
  };
}
