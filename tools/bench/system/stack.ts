// Why this exists: the system bench runs the API and the workers exactly as `npm start` builds and runs them
// (dist/apps/api/main.js and worker.js from the nx build), on the bench's own database, Redis database and
// ports, with a mail sink that accepts and drops the notices. Supports docs/performance.md "How to
// reproduce".
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { runtimeEnv } from '../../../scripts/runtime-env';

export const ROOT = join(__dirname, '..', '..', '..');
export const LOG_DIR = join(ROOT, 'tmp', 'bench-logs');

export function build(): void {
  const nx = require.resolve('nx/bin/nx');
  const run = spawnSync(process.execPath, [nx, 'run', 'api:build', '--output-style=static', '--skip-sync'], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`the API build failed (exit ${run.status})`);
}

/** An SMTP server that takes every notice and keeps only a count. */
export async function mailSink(port: number): Promise<{ count: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { count: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface Stack {
  api: ChildProcess[];
  workers: ChildProcess[];
  baseUrl: string;
  stop: () => Promise<void>;
}

export async function startStack(
  env: Record<string, string>,
  options: { apiPort: number; apiProcesses?: number; workers?: number },
): Promise<Stack> {
  mkdirSync(LOG_DIR, { recursive: true });
  const spawnNode = (script: string, extra: Record<string, string> = {}) => {
    // BENCH_CPU_PROF=<dir>: each process writes a V8 CPU profile there when it stops (Node refuses
    // --cpu-prof in NODE_OPTIONS), to see where a figure's time goes.
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
    const child = spawn(process.execPath, [...profile, join(ROOT, 'dist', 'apps', 'api', script)], {
      cwd: ROOT,
      // As npm start runs them (scripts/runtime-env.js; docs/performance.md "Memory").
      env: runtimeEnv({ ...process.env, ...env, ...extra }, { api: script === 'main.js' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Warnings and errors (LOG_LEVEL=warn) kept for reading after the run.
    const log = createWriteStream(join(LOG_DIR, `${script.replace(/\.js$/, '')}-${child.pid}.log`));
    child.stdout?.pipe(log);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${script}] ${chunk}`));
    return child;
  };
  const api = [spawnNode('main.js', { API_PORT: String(options.apiPort) })];
  const workers = Array.from({ length: options.workers ?? 1 }, () => spawnNode('worker.js'));
  const baseUrl = `http://127.0.0.1:${options.apiPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const dead = [...api, ...workers].find((child) => child.exitCode !== null);
    if (dead) throw new Error(`a bench process exited (code ${dead.exitCode}) before the API answered`);
    const ok = await fetch(`${baseUrl}/health`)
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the API did not report healthy within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return {
    api,
    workers,
    baseUrl,
    stop: async () => {
      const all = [...api, ...workers];
      for (const child of all) child.kill('SIGTERM');
      await Promise.all(
        all.map((child) =>
          child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)),
        ),
      );
    },
  };
}

/**
 * CPU seconds a process (all its threads) has used so far, and the part of them in the kernel, from
 * /proc (NaN where unreadable).
 */
function cpuTimes(pid: number): { all: number; system: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const system = Number(fields[12]) / 100;
    return { all: Number(fields[11]) / 100 + system, system };
  } catch {
    return { all: NaN, system: NaN };
  }
}

function cpuSeconds(pid: number): number {
  return cpuTimes(pid).all;
}

/** Every process on the machine whose command name is `postgres` (the server and its backends). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** CPU seconds the whole machine has spent busy so far (every core; /proc/stat's first line). */
function machineBusySeconds(): number {
  const fields =
    readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

export interface CpuSnapshot {
  api: number;
  /** The part of `api` spent in the kernel (system calls: sockets to Postgres and the clients, mostly). */
  apiSystem: number;
  workers: number;
  postgres: number;
  bench: number;
  machine: number;
}

/**
 * CPU seconds used so far by the API (its processes and their children), the workers, Postgres (every
 * backend: the bench's database shares the server with nothing else while it runs), this bench process
 * (the clients), and the machine as a whole. Two snapshots around a timed window say where its CPU went
 * (docs/performance.md "Where intake's time goes").
 */
export function cpuSnapshot(stack: Pick<Stack, 'api' | 'workers'>): CpuSnapshot {
  const sum = (pids: number[]) =>
    pids.reduce(
      (total, pid) => {
        const times = cpuTimes(pid);
        return { all: total.all + (times.all || 0), system: total.system + (times.system || 0) };
      },
      { all: 0, system: 0 },
    );
  const tree = (children: readonly ChildProcess[]) =>
    children.flatMap((child) => (child.pid === undefined ? [] : withChildren(child.pid)));
  const usage = process.cpuUsage();
  const api = sum(tree(stack.api));
  return {
    api: api.all,
    apiSystem: api.system,
    workers: sum(tree(stack.workers)).all,
    postgres: sum(postgresPids()).all,
    bench: (usage.user + usage.system) / 1e6,
    machine: machineBusySeconds(),
  };
}

/** What each part of the machine used between two snapshots. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  const used = { ...after };
  for (const part of Object.keys(used) as (keyof CpuSnapshot)[]) used[part] -= before[part];
  return used;
}

/**
 * Waits until the processes have used under 5 % of a core for 4 s in a row (at most `maxSeconds`), and
 * returns how long that took. On a seeded database the workers start by working through what the seed
 * left them (the SLA sweep arms the clocks of thousands of open cases, records their breaches and sends
 * the notices: one small-scale run spent 100 s at half a core on it, with Postgres beside it), which
 * would otherwise be measured as part of intake (docs/performance.md "Where intake's time goes").
 */
export async function settled(processes: readonly ChildProcess[], maxSeconds = 300): Promise<number> {
  const pids = processes.map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
  const used = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const started = Date.now();
  let quiet = 0;
  let before = used();
  while (quiet < 4 && Date.now() - started < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = used();
    quiet = now - before < 0.05 ? quiet + 1 : 0;
    before = now;
  }
  return (Date.now() - started) / 1000;
}

function readRssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process and its direct children (node:cluster workers). */
function withChildren(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...(children ? children.split(/\s+/).map(Number) : [])];
  } catch {
    return [pid]; // no children file: the process alone
  }
}

/** Resident set size of a process and its direct children (node:cluster workers), in MB. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  return withChildren(pid).reduce((sum, p) => sum + readRssMb(p), 0);
}

/** Private memory (unique set size): the resident set less the pages shared with other processes. */
function readPrivateMb(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Each process's resident set, the parent first, and what of it is private to each, e.g. "49 + 171 + 168
 * MB resident (30 + 115 + 110 MB private)": the rest is Node's own code and the libraries, resident once
 * however many processes map them (docs/performance.md "Memory").
 */
export function rssParts(pid: number | undefined): string {
  if (pid === undefined) return 'n/a';
  const pids = withChildren(pid);
  const parts = (read: (p: number) => number) => pids.map((p) => read(p).toFixed(0)).join(' + ');
  return `${parts(readRssMb)} MB resident (${parts(readPrivateMb)} MB private)`;
}
