/**
 * What finding the listener costs inside Bolt's App.processEvent, in-process (no HTTP): a signed-and-parsed
 * `/audience` slash command given to an App whose listeners are registered on the App itself (Bolt runs every
 * listener's middleware chain on every request) or through our listener router (src/slack/router.ts: one
 * middleware, one Map lookup). Same App options (BOLT_APP_DEFAULTS), same listener bodies, same run.
 *
 *   npx tsx bench/bolt-dispatch.bench.ts [iterations=20000]
 *
 * Listener counts: 8 is the core folders (the /audience command, 6 linking actions, App Home), 23 is what
 * createApp registers with the query flow (November 2026).
 */
import { App, type Receiver } from '@slack/bolt';
import { BOLT_APP_DEFAULTS } from '../src/slack/app.js';
import { createListenerRouter, type SlackListeners } from '../src/slack/router.js';

const ITERATIONS = Number(process.argv[2] ?? 20_000);
const ROUNDS = 5;
const LISTENER_COUNTS = [1, 8, 23];

const receiver: Receiver = { init() {}, start: async () => {}, stop: async () => {} };

function register(listeners: SlackListeners, count: number): void {
  listeners.command('/audience', async ({ ack }) => {
    await ack({ text: 'hello' });
  });
  for (let i = 1; i < count; i += 1) {
    listeners.action(`action_${i}`, async ({ ack }) => {
      await ack();
    });
  }
}

function buildApp(count: number, routed: boolean): App {
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bench', botId: 'BBENCH', botUserId: 'UBENCH' }),
    ...BOLT_APP_DEFAULTS,
  });
  if (routed) {
    const router = createListenerRouter();
    register(router.listeners, count);
    router.attach(app);
  } else {
    register(app, count);
  }
  return app;
}

let sequence = 0;
const command = () => ({
  team_id: 'T0BENCH',
  user_id: 'U0BENCH',
  channel_id: 'C0BENCH',
  command: '/audience',
  text: 'help',
  response_url: 'https://hooks.slack.test/commands/1',
  trigger_id: `${++sequence}.bench`,
});

/** Mean µs per processEvent over `n` sequential requests; fails if any request was not acknowledged. */
async function measure(app: App, n: number): Promise<number> {
  let acked = 0;
  const ack = async () => {
    acked += 1;
  };
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await app.processEvent({ body: command(), ack });
  const elapsed = Number(process.hrtime.bigint() - start) / 1_000;
  if (acked !== n) throw new Error(`only ${acked} of ${n} requests were acknowledged`);
  return elapsed / n;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  process.stdout.write(
    `Bolt dispatch — App.processEvent of "/audience help", ${ITERATIONS} requests × ${ROUNDS} rounds, Node ${process.version}\n\n`,
  );
  const rows = [['listeners', 'on the App µs', 'routed µs', 'App / routed']];
  for (const count of LISTENER_COUNTS) {
    const onApp = buildApp(count, false);
    const routed = buildApp(count, true);
    await measure(onApp, ITERATIONS / 4);
    await measure(routed, ITERATIONS / 4);
    const a: number[] = [];
    const r: number[] = [];
    // Alternated, so both see the same machine load.
    for (let round = 0; round < ROUNDS; round += 1) {
      a.push(await measure(onApp, ITERATIONS));
      r.push(await measure(routed, ITERATIONS));
    }
    rows.push([String(count), median(a).toFixed(1), median(r).toFixed(1), (median(a) / median(r)).toFixed(2)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')}\n`);
  process.stdout.write('\nMedians over rounds; each round alternates the two Apps.\n');
}

await main();
