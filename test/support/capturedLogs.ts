/**
 * A real logger (the app's pino set-up, redaction included) whose lines stay in memory, for tests that read what
 * was logged.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevelName } from '../../src/logging.js';

export interface CapturedLogs {
  logger: Logger;
  /** What the logger wrote, chunk by chunk (one JSON line each). */
  written: string[];
  /** Everything written, as one string. */
  text(): string;
  /** Every line written, parsed. */
  lines<T = Record<string, unknown>>(): T[];
}

export function capturingLogger(level: LogLevelName = 'debug'): CapturedLogs {
  const written: string[] = [];
  const logger = createLogger(
    level,
    new Writable({
      write(chunk, _encoding, done) {
        written.push(String(chunk));
        done();
      },
    }),
  );
  const text = () => written.join('');
  return {
    logger,
    written,
    text,
    lines: <T>() =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as T),
  };
}
