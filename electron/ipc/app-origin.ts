/**
 * Where our own pages live: the `app://quicksend` scheme the shell registers. Defined once, here
 * beside the sender policy that trusts it, so the IPC layer, the window options and the web
 * policy cannot disagree about which origin is ours.
 */
export const APP_ORIGIN = 'app://quicksend';
