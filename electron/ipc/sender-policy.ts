/**
 * Decides whether an IPC message comes from one of our own pages. The adapters (Electron's
 * ipcMain, the web host) only extract facts; the decision lives here so it is tested once.
 * See Electron's security checklist, "Validate the sender of all IPC messages".
 */
export type SenderFacts = {
  /** URL of the frame that sent the message. */
  frameUrl: string;
  /** Sub-frames never get to call main. */
  isMainFrame: boolean;
  /** Electron BrowserWindow id, when the sender is a window. */
  windowId?: number;
};

export type SenderPolicy = {
  /** Origins of our own pages, e.g. `app://quicksend`. */
  allowedOrigins: readonly string[];
  /** When given, the sender's window must be one of ours. */
  knownWindow?: (id: number) => boolean;
};

export function isTrustedSender(facts: SenderFacts, policy: SenderPolicy): boolean {
  if (!facts.isMainFrame) return false;
  let origin: string;
  try {
    const url = new URL(facts.frameUrl);
    // `URL.origin` is the string "null" for non-special schemes such as app:, so build it.
    origin = `${url.protocol}//${url.host}`;
  } catch {
    return false;
  }
  if (!policy.allowedOrigins.includes(origin)) return false;
  if (policy.knownWindow) {
    return facts.windowId !== undefined && policy.knownWindow(facts.windowId);
  }
  return true;
}
