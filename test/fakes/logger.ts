import { createLogger, createMemorySink, createRedactor } from '../../electron/shared/logger';

/** A real logger writing to memory, for tests that want to look at what was logged. */
export function memoryLogger() {
  const sink = createMemorySink();
  return { logger: createLogger({ sink, redactor: createRedactor(), scope: 'test' }), records: sink.records };
}
