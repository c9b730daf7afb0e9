import { describe, expect, test, vi } from 'vitest';
import { createConsoleSink, createLogger, createMemorySink, type LogLevel } from '../../../../electron/shared/logger';
import { createRedactor, REDACTED } from '../../../../electron/shared/redactor';

const clock = () => new Date('2024-05-01T12:00:00.000Z');

function setup(level?: LogLevel) {
  const sink = createMemorySink();
  const redactor = createRedactor();
  const logger = createLogger({ sink, redactor, scope: 'main', clock, ...(level ? { level } : {}) });
  return { sink, redactor, logger };
}

describe('createLogger', () => {
  test('writes a record with time, level, scope, message and data', () => {
    const { sink, logger } = setup();
    logger.info('sent', { id: 7 });
    logger.warn('no data');
    expect(sink.records).toEqual([
      { time: '2024-05-01T12:00:00.000Z', level: 'info', scope: 'main', message: 'sent', data: { id: 7 } },
      { time: '2024-05-01T12:00:00.000Z', level: 'warn', scope: 'main', message: 'no data' },
    ]);
    expect('data' in (sink.records[1] ?? {})).toBe(false);
  });

  test('child scopes are dotted and share the sink', () => {
    const { sink, logger } = setup();
    const loopback = logger.child('oauth').child('loopback');
    expect(loopback.scope).toBe('main.oauth.loopback');
    loopback.error('port busy');
    expect(sink.records.map((r) => [r.scope, r.level])).toEqual([['main.oauth.loopback', 'error']]);
  });

  test('default scope is main and default level is info', () => {
    const sink = createMemorySink();
    const logger = createLogger({ sink, redactor: createRedactor() });
    logger.debug('hidden');
    logger.info('shown');
    expect(sink.records.map((r) => [r.scope, r.message])).toEqual([['main', 'shown']]);
  });

  test.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as const)('level %s lets through %j, also in children', (level, expected) => {
    const { sink, logger } = setup(level);
    const child = logger.child('c');
    for (const log of [logger, child]) {
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error('e');
    }
    expect(sink.records.map((r) => r.level)).toEqual([...expected, ...expected]);
  });

  test('message, data and scope all pass through the redactor', () => {
    const { sink, redactor, logger } = setup();
    const secret = 'refresh-1//0gSecretValue';
    redactor.register(secret);
    logger.child(`scope-${secret}`).info(`got ${secret} back`, { note: `value ${secret}`, list: [secret] });
    const dump = JSON.stringify(sink.records);
    expect(dump).not.toContain(secret);
    expect(sink.records[0]).toMatchObject({
      scope: `main.scope-${REDACTED}`,
      message: `got ${REDACTED} back`,
      data: { note: `value ${REDACTED}`, list: [REDACTED] },
    });
  });

  test('a throwing sink never breaks the caller', () => {
    const logger = createLogger({
      sink: {
        write: () => {
          throw new Error('disk full');
        },
      },
      redactor: createRedactor(),
    });
    expect(() => logger.error('x', { a: 1 })).not.toThrow();
  });
});

describe('createMemorySink', () => {
  test('keeps one stable records array, trims to the limit and clears', () => {
    const sink = createMemorySink({ limit: 2 });
    const records = sink.records;
    const logger = createLogger({ sink, redactor: createRedactor(), clock });
    for (const message of ['a', 'b', 'c']) logger.info(message);
    expect(records).toBe(sink.records);
    expect(records.map((r) => r.message)).toEqual(['b', 'c']);
    sink.clear();
    expect(sink.records).toHaveLength(0);
  });
});

describe('createConsoleSink', () => {
  test('writes one JSON line per record', () => {
    const lines: string[] = [];
    const logger = createLogger({
      sink: createConsoleSink({ write: (chunk) => lines.push(chunk) }),
      redactor: createRedactor(),
      clock,
      scope: 'core',
    });
    logger.info('one', { n: 10n });
    logger.error('two', new Error('bad'));
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2024-05-01T12:00:00.000Z',
      level: 'info',
      scope: 'core',
      message: 'one',
      data: { n: '10' },
    });
    expect(JSON.parse(lines[1] ?? '').data).toMatchObject({ name: 'Error', message: 'bad' });
  });

  test('defaults to stderr', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      createConsoleSink().write({ time: 't', level: 'warn', scope: 's', message: 'm' });
      expect(write).toHaveBeenCalledWith('{"time":"t","level":"warn","scope":"s","message":"m"}\n');
    } finally {
      write.mockRestore();
    }
  });
});
