/**
 * One benchmark target in its own Node process (forked by `targetClient.ts`), so the load generator and the
 * server never share an event loop and each server gets a core to itself on a 2-core machine.
 *
 * Protocol over the IPC channel: the child sends `ready` with its port; `begin` snapshots CPU time, event-loop
 * utilisation and the handled count; `end` answers with the deltas since `begin`; `close` shuts down.
 * A lost parent (disconnect) also shuts the child down, so no server outlives the bench.
 *
 * With BENCH_PROFILE_DIR set, the V8 CPU profiler runs from the first `begin` to `close` (start-up excluded) and
 * the profile is written there as `<kind>.cpuprofile`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type RunningTarget, startTarget, TARGET_KINDS, type TargetKind } from './slackTargets.js';

export type ParentMessage = { type: 'begin' } | { type: 'end' } | { type: 'close' };

export interface WindowStats {
  handled: number;
  /** Server CPU time (user + system) over the window, ms. */
  cpuMs: number;
  wallMs: number;
  /** Share of the window the event loop was busy, 0–1. */
  eventLoopUtilization: number;
  slackCalls: number;
  slackUnexpected: number;
}

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'begun' }
  | { type: 'ended'; stats: WindowStats }
  | { type: 'failed'; message: string };

const send = (message: ChildMessage) => process.send?.(message);

async function main(): Promise<void> {
  const kind = process.argv[2] as TargetKind;
  const signingSecret = process.env.BENCH_SIGNING_SECRET;
  const logLevel = process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'silent';
  const listeners = process.env.BENCH_LISTENERS === 'production' ? 'production' : 'core';
  if (!TARGET_KINDS.includes(kind) || !signingSecret || !process.send) {
    throw new Error('usage: forked by the bench with a target kind and BENCH_SIGNING_SECRET');
  }
  const target: RunningTarget = await startTarget(kind, { signingSecret, logLevel, listeners });

  let start = { cpu: process.cpuUsage(), wall: performance.now(), elu: performance.eventLoopUtilization() };
  let handledAtStart = 0;
  let slackAtStart = target.slackCalls();

  const profileDir = process.env.BENCH_PROFILE_DIR;
  let profiler: Session | undefined;
  const startProfiler = async () => {
    if (!profileDir || profiler) return;
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  };
  const writeProfile = async () => {
    if (!profileDir || !profiler) return;
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(join(profileDir, `${kind}.cpuprofile`), JSON.stringify(profile));
  };

  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    await writeProfile().catch(() => undefined);
    await target.close().catch(() => undefined);
    process.exit(code);
  };

  process.on('message', async (message: ParentMessage) => {
    if (message.type === 'begin') {
      await startProfiler();
      start = { cpu: process.cpuUsage(), wall: performance.now(), elu: performance.eventLoopUtilization() };
      handledAtStart = target.handled();
      slackAtStart = target.slackCalls();
      send({ type: 'begun' });
    } else if (message.type === 'end') {
      const cpu = process.cpuUsage(start.cpu);
      const slack = target.slackCalls();
      send({
        type: 'ended',
        stats: {
          handled: target.handled() - handledAtStart,
          cpuMs: (cpu.user + cpu.system) / 1000,
          wallMs: performance.now() - start.wall,
          eventLoopUtilization: performance.eventLoopUtilization(start.elu).utilization,
          slackCalls: slack.calls - slackAtStart.calls,
          slackUnexpected: slack.unexpected - slackAtStart.unexpected,
        },
      });
    } else if (message.type === 'close') {
      void shutdown(0);
    }
  });
  process.on('disconnect', () => void shutdown(0));
  send({ type: 'ready', port: target.port });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
