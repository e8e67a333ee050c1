/**
 * The parent's handle on a target process (`targetProcess.ts`): fork it with the same Node binary and loader
 * flags as the bench itself, wait for its port, and bracket each load run with `begin`/`end` to read the
 * server-side counters for exactly that window.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ListenerSet, TargetKind } from './slackTargets.js';
import type { ChildMessage, ParentMessage, WindowStats } from './targetProcess.js';

const CHILD_ENTRY = fileURLToPath(new URL('./targetProcess.ts', import.meta.url));
const REPLY_TIMEOUT_MS = 30_000;

export interface TargetProcess {
  kind: TargetKind;
  port: number;
  pid: number;
  begin(): Promise<void>;
  end(): Promise<WindowStats>;
  close(): Promise<void>;
  /** Ends the child at once (SIGKILL, by its pid); for the bench's watchdog. */
  kill(): void;
}

export interface SpawnOptions {
  signingSecret: string;
  logLevel: 'silent' | 'info';
  listeners: ListenerSet;
  /** CPU-profile the measured windows and write `<kind>.cpuprofile` here. */
  profileDir?: string;
}

export async function spawnTarget(kind: TargetKind, options: SpawnOptions): Promise<TargetProcess> {
  const child = fork(CHILD_ENTRY, [kind], {
    // process.execArgv carries tsx's loader flags, so the child runs TypeScript exactly like the parent.
    execArgv: process.execArgv,
    env: {
      ...process.env,
      BENCH_SIGNING_SECRET: options.signingSecret,
      BENCH_LOG_LEVEL: options.logLevel,
      BENCH_LISTENERS: options.listeners,
      BENCH_PROFILE_DIR: options.profileDir ?? '',
    },
    // Log lines (stdout) go to /dev/null: still formatted and written, as in production, but not onto the table.
    stdio: ['ignore', options.logLevel === 'silent' ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child, 'ready');
  const port = ready.port;
  const request = async <T extends ChildMessage['type']>(message: ParentMessage, reply: T) => {
    const answer = nextMessage(child, reply);
    child.send(message);
    return answer;
  };
  return {
    kind,
    port,
    pid: child.pid!,
    begin: async () => {
      await request({ type: 'begin' }, 'begun');
    },
    end: async () => (await request({ type: 'end' }, 'ended')).stats,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' } satisfies ParentMessage);
      }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

type MessageOf<T extends ChildMessage['type']> = Extract<ChildMessage, { type: T }>;

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<MessageOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`target process sent no "${type}" within 30 s`)), REPLY_TIMEOUT_MS);
    const onMessage = (message: ChildMessage) => {
      if (message.type === 'failed') finish(new Error(`target process failed: ${message.message}`));
      else if (message.type === type) finish(undefined, message as MessageOf<T>);
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`target process exited (code ${code}, signal ${signal}) while waiting for "${type}"`));
    const finish = (error?: Error, message?: MessageOf<T>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
