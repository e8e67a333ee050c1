/**
 * Reads V8 `.cpuprofile` files (written by `node --cpu-prof`) and says where the busy time went: self time by
 * area (an npm package, one of our source files, Node internals, GC) and by function, and inclusive time by area
 * and of our own functions, as shares of the non-idle time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = '(idle)';

export function summarizeCpuProfiles(dir: string, top = 14): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return `  (no .cpuprofile written in ${dir})\n`;
  const selfByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByArea = new Map<string, number>();
  const inclusiveOurs = new Map<string, number>();
  let busy = 0;

  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const micros = profile.timeDeltas[i] ?? 0;
      if (!node || node.callFrame.functionName === IDLE) return;
      busy += micros;
      add(selfByArea, areaOf(node.callFrame.url, node.callFrame.functionName), micros);
      add(selfByFunction, functionKey(node), micros);
      // Inclusive times: each key counted once per sample, however often it appears on the stack.
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!;
        const area = areaOf(frame.callFrame.url, frame.callFrame.functionName);
        if (!seen.has(area)) {
          seen.add(area);
          add(inclusiveByArea, area, micros);
        }
        const key = functionKey(frame);
        if (isOurs(frame.callFrame.url) && !seen.has(key)) {
          seen.add(key);
          add(inclusiveOurs, key, micros);
        }
      }
    });
  }

  const section = (title: string, map: Map<string, number>) =>
    [
      `  ${title}`,
      ...[...map.entries()]
        .sort((x, y) => y[1] - x[1])
        .slice(0, top)
        .map(([key, micros]) => `    ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${key}`),
    ].join('\n');
  return `${[
    `  busy (non-idle) time: ${(busy / 1e6).toFixed(1)} s over ${files.length} profile(s)`,
    section('self time by area', selfByArea),
    section('self time by function', selfByFunction),
    section('inclusive time by area (on the stack; async continuations lose their callers)', inclusiveByArea),
    section('inclusive time of our code (src/)', inclusiveOurs),
  ].join('\n')}\n`;
}

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

const isOurs = (url: string) => url.includes('/src/') && !url.includes('/node_modules/');

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src|test|bench)\/(.+)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  // tsx-compiled sources report line 0; a line number only helps in packages and Node internals.
  const where = url ? `${areaOf(url, functionName)}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}
