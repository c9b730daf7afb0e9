/**
 * One logger factory with dotted scopes (`core.oauth.loopback`). Every record passes through
 * the redactor, message and data alike, before any sink sees it, so no call site has to
 * remember to mask anything. Sinks only store or print what they are given.
 */
import type { LogRecord, LogSink } from './ports';
import type { Redactor } from './redactor';

export { createRedactor, REDACTED, type Redactor } from './redactor';

/** The four levels, lowest first. */
export type LogLevel = LogRecord['level'];

/** A scoped logger; `child` adds a segment to the scope and shares sink, level and redactor. */
export interface Logger {
  readonly scope: string;
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
  child(scope: string): Logger;
}

/** Everything a root logger needs; `clock` is injectable so tests get stable times. */
export type LoggerOptions = {
  sink: LogSink;
  redactor: Redactor;
  /** Root scope, e.g. `main` or `core`. */
  scope?: string;
  /** Records below this level are dropped before redaction (no cost). Default `info`. */
  level?: LogLevel;
  clock?: () => Date;
};

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Creates the root logger; make one per process and hand out `child()` loggers. */
export function createLogger(options: LoggerOptions): Logger {
  const { sink, redactor } = options;
  const threshold = RANK[options.level ?? 'info'];
  const clock = options.clock ?? (() => new Date());

  function build(scope: string): Logger {
    const write = (level: LogLevel, message: string, data: unknown): void => {
      if (RANK[level] < threshold) return;
      try {
        const record: LogRecord = {
          time: clock().toISOString(),
          level,
          // Scopes are code-chosen, but nothing reaches a sink unredacted.
          scope: redactor.redactString(scope),
          message: redactor.redactString(String(message)),
        };
        if (data !== undefined) record.data = redactor.redact(data);
        sink.write(record);
      } catch {
        // Logging must never break the action being logged (a send, a token refresh).
      }
    };
    return {
      scope,
      debug: (message, data) => write('debug', message, data),
      info: (message, data) => write('info', message, data),
      warn: (message, data) => write('warn', message, data),
      error: (message, data) => write('error', message, data),
      child: (name) => build(scope ? `${scope}.${name}` : name),
    };
  }

  return build(options.scope ?? 'main');
}

/** A sink that keeps records in memory; `records` is one stable array others may hold. */
export type MemorySink = LogSink & { readonly records: LogRecord[]; clear(): void };

/**
 * Keeps records for tests and for diagnostics ("copy recent log"). With `limit` it keeps only
 * the newest records, so a long-running tray app does not grow without bound.
 */
export function createMemorySink(options: { limit?: number } = {}): MemorySink {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const records: LogRecord[] = [];
  return {
    records,
    write(record) {
      records.push(record);
      if (records.length > limit) records.splice(0, records.length - limit);
    },
    clear() {
      records.length = 0;
    },
  };
}

/** The part of a Node writable stream the console sink uses (injectable for tests). */
export type LineWriter = { write(chunk: string): unknown };

/**
 * Writes one JSON line per record to stderr (stdout stays free for tools that parse it).
 * Records are already redacted and acyclic; `bigint` is the one value JSON cannot write.
 */
export function createConsoleSink(stream: LineWriter = process.stderr): LogSink {
  return {
    write(record) {
      let line: string;
      try {
        line = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
      } catch {
        line = JSON.stringify({ ...record, data: '[Unserialisable]' });
      }
      stream.write(`${line}\n`);
    },
  };
}
