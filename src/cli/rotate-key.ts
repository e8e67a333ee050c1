/**
 * Re-seals every stored LinkedIn token under a new TOKEN_ENCRYPTION_KEY.
 *
 *   npx tsx src/cli/rotate-key.ts [--db ./data/bot.sqlite] [--from OLD --to NEW]
 *
 * Without --from/--to the keys come from TOKEN_ENCRYPTION_KEY (old) and NEW_TOKEN_ENCRYPTION_KEY (new); the
 * environment is preferable, since arguments show in the process list and shell history. The database defaults to
 * DATABASE_URL. Stop the bot first, then restart it with the new key. Prints counts only, never keys or tokens.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseKey } from '../crypto/sealer.js';
import { rotateTokenKey } from '../db/rotate.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  'Usage: rotate-key [--db PATH] [--from OLD_KEY --to NEW_KEY]\n' +
  '  Keys default to TOKEN_ENCRYPTION_KEY (old) and NEW_TOKEN_ENCRYPTION_KEY (new); the database to DATABASE_URL.';

/** Returns the process exit code. */
export function runRotateKeyCli(argv: string[], env: Record<string, string | undefined>, io: CliIo): number {
  let values: { db?: string; from?: string; to?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch {
    // parseArgs quotes the offending argument, which could be a key typed in the wrong place: not echoed.
    io.err(`Unrecognised or incomplete arguments.\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }

  const oldText = values.from ?? env.TOKEN_ENCRYPTION_KEY;
  const newText = values.to ?? env.NEW_TOKEN_ENCRYPTION_KEY;
  if (!oldText || !newText) {
    io.err(
      `Both keys are needed: the old one (--from or TOKEN_ENCRYPTION_KEY) and the new one (--to or NEW_TOKEN_ENCRYPTION_KEY).\n${USAGE}`,
    );
    return 2;
  }
  const database = values.db ?? env.DATABASE_URL ?? './data/bot.sqlite';

  try {
    const oldKey = parseKey(oldText);
    const newKey = parseKey(newText);
    const report = rotateTokenKey(database, oldKey, newKey);
    io.out(
      `Re-sealed ${report.resealedTokens} token(s) of ${report.resealedLinks} link(s) under the new key; ` +
        `${report.alreadyCurrentLinks} of ${report.totalLinks} link(s) already used it.`,
    );
    io.out('Start the bot with TOKEN_ENCRYPTION_KEY set to the new key.');
    return 0;
  } catch (error) {
    // Our errors never carry key or token material; anything else is reduced to its message, without a stack.
    io.err(`Key rotation failed: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runRotateKeyCli(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
