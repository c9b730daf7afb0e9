/**
 * The capabilities the core needs from Electron, as small interfaces. `main.ts` builds them
 * from Electron; tests, the web host, the demo and benchmarks pass Node implementations.
 * Nothing here may import a runtime value from `electron`.
 */

/** Encrypts secrets with an OS-backed key (Electron safeStorage) or, in Node, AES-256-GCM. */
export interface SecretCipher {
  isAvailable(): Promise<boolean>;
  /** Linux: `basic_text`, `gnome_libsecret`, `kwallet*`, `unknown`; elsewhere the OS name. */
  backend(): string;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(data: Uint8Array): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

/** Opens a URL in the person's own browser (shell.openExternal). */
export interface BrowserLauncher {
  open(url: string): Promise<void>;
}

export type Notification = { title: string; body: string; target?: string };
export interface Notifier {
  notify(notification: Notification): void;
}

/** Reports network changes and resume from sleep (net.online, powerMonitor). */
export interface NetworkMonitor {
  isOnline(): boolean;
  onOnline(listener: () => void): () => void;
  onResume(listener: () => void): () => void;
}

export interface FileDialog {
  chooseFiles(): Promise<string[]>;
}

/** Where Quicksend keeps its files (app.getPath('userData') in Electron). */
export interface Paths {
  dataDir: string;
}

export type TimerHandle = { readonly __timer: unique symbol } | ReturnType<typeof setTimeout>;
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The subset of electron-store / conf that the core uses (same API in both). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
}

/** Where log lines end up after redaction (a file in Electron, memory in tests). */
export type LogRecord = {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  scope: string;
  message: string;
  data?: unknown;
};
export interface LogSink {
  write(record: LogRecord): void;
}

export type Fetch = typeof fetch;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
