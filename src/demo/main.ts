/**
 * `npm run demo`: runs the demo (see demo.ts) and exits 0, or prints why it failed and exits 1.
 * Quiet by default; DEMO_VERBOSE=1 shows the bot's logs on stderr (at LOG_LEVEL, default info).
 */
import type { LogLevelName } from '../logging.js';
import { runDemo } from './demo.js';
import { DemoFailure } from './errors.js';

const LEVELS: readonly LogLevelName[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const verbose = process.env.DEMO_VERBOSE === '1';
const requested = process.env.LOG_LEVEL as LogLevelName | undefined;
const logLevel: LogLevelName = verbose ? (requested && LEVELS.includes(requested) ? requested : 'info') : 'silent';

runDemo({
  out: process.stdout,
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  logLevel,
}).then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof DemoFailure ? '' : ' (an unexpected error)';
    process.stderr.write(`\nThe demo failed${kind}: ${message}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (!(error instanceof DemoFailure)) process.stderr.write('Run with DEMO_VERBOSE=1 for the details.\n');
    process.exit(1);
  },
);
