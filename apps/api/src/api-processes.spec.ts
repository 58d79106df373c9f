import { spawnSync } from 'node:child_process';
import { forkSettings, V8_MEMORY_FLAGS } from './api-processes';

/**
 * A node process that keeps 25 MB live and churns through objects that live a little while (as a request's
 * do), then prints its young generation's size and its heap's peak, in MB.
 */
function heapOf(env: NodeJS.ProcessEnv, execArgv: readonly string[] = []): { young: number; peak: number } {
  const script = `
    const v8 = require('node:v8');
    const live = []; for (let i = 0; i < 25e4; i++) live.push({ a: i, b: 'live' + i, c: [i, i + 1] });
    let peak = 0; const recent = [];
    for (let r = 0; r < 200; r++) {
      const batch = []; for (let i = 0; i < 2e4; i++) batch.push({ x: i, s: 'tmp' + i + r, arr: [i, r] });
      recent.push(batch); if (recent.length > 8) recent.shift();
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size;
    console.log(JSON.stringify({ young: young / 1048576, peak: peak / 1048576 }));`;
  const run = spawnSync(process.execPath, [...execArgv, '-e', script], { env, encoding: 'utf8' });
  return JSON.parse(run.stdout) as { young: number; peak: number };
}

describe('forkSettings (docs/performance.md "Memory")', () => {
  it('gives the forks two malloc arenas, a 4 MB semi-space and a 1.5 GB heap limit when nothing is set', () => {
    expect(forkSettings({}, [])).toEqual({
      env: { MALLOC_ARENA_MAX: '2' },
      execArgv: ['--max-semi-space-size=4', '--max-old-space-size=1536'],
    });
  });

  it("keeps the supervisor's own flags and adds the memory flags after them", () => {
    expect(forkSettings({}, ['--enable-source-maps']).execArgv).toEqual([
      '--enable-source-maps',
      ...V8_MEMORY_FLAGS,
    ]);
  });

  it("keeps the operator's settings: MALLOC_ARENA_MAX, and each flag given in the flags or NODE_OPTIONS", () => {
    expect(forkSettings({ MALLOC_ARENA_MAX: '4' }, []).env).toEqual({ MALLOC_ARENA_MAX: '4' });
    expect(forkSettings({}, ['--max-semi-space-size=16']).execArgv).toEqual([
      '--max-semi-space-size=16',
      '--max-old-space-size=1536',
    ]);
    expect(
      forkSettings({ NODE_OPTIONS: '--max-old-space-size=4096 --max-semi-space-size=8' }, []).execArgv,
    ).toEqual([]);
  });

  it("keeps a fork's young generation and heap smaller (measured in that process)", () => {
    const base = { PATH: process.env.PATH ?? '' };
    const node = heapOf(base);
    const fork = heapOf(base, forkSettings(base, []).execArgv);
    expect(node.young).toBeGreaterThan(8); // Node's default grows to 32 MB
    expect(fork.young).toBeLessThanOrEqual(8);
    expect(fork.peak).toBeLessThan(node.peak * 0.75);
  });
});
