// scripts/runtime-env.js: the environment npm start and the system bench give every process they start
// (docs/performance.md "Memory"), the same settings the API's supervisor gives its forks.
import { spawnSync } from 'node:child_process';
import { V8_MEMORY_FLAGS } from '../../apps/api/src/api-processes';
import { runtimeEnv, V8_MEMORY_FLAGS as SCRIPTS_V8_MEMORY_FLAGS } from '../../scripts/runtime-env';

/** A node process that churns through short-lived objects, then prints its young generation and heap limit in MB. */
function heapOf(env: NodeJS.ProcessEnv): { young: number; limit: number } {
  const script = `
    const v8 = require('node:v8');
    let keep = [];
    for (let i = 0; i < 2e6; i++) { const o = { i, s: 'x' + i }; if (i % 10 === 0) keep.push(o); if (keep.length > 1e5) keep = []; }
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size;
    console.log(JSON.stringify({ young: young / 1048576, limit: v8.getHeapStatistics().heap_size_limit / 1048576 }));`;
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  return JSON.parse(run.stdout) as { young: number; limit: number };
}

describe('runtimeEnv (scripts/runtime-env.js)', () => {
  it("is the supervisor's setting: two malloc arenas and the V8 memory flags in NODE_OPTIONS", () => {
    expect(SCRIPTS_V8_MEMORY_FLAGS).toEqual(V8_MEMORY_FLAGS);
    expect(runtimeEnv({ PATH: '/bin' })).toEqual({
      PATH: '/bin',
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--max-semi-space-size=4 --max-old-space-size=1536',
    });
  });

  it("keeps the operator's settings", () => {
    expect(runtimeEnv({ MALLOC_ARENA_MAX: '8', NODE_OPTIONS: '--trace-gc' })).toEqual({
      MALLOC_ARENA_MAX: '8',
      NODE_OPTIONS: '--trace-gc --max-semi-space-size=4 --max-old-space-size=1536',
    });
    expect(runtimeEnv({ NODE_OPTIONS: '--max-semi-space-size=16' }).NODE_OPTIONS).toBe(
      '--max-semi-space-size=16 --max-old-space-size=1536',
    );
  });

  it('sets the young generation and heap limit of a process started with it (measured in that process)', () => {
    const base = { PATH: process.env.PATH ?? '' };
    const node = heapOf(base);
    const started = heapOf(runtimeEnv(base));
    expect(node.young).toBeGreaterThan(8); // Node's default grows to 32 MB
    expect(started.young).toBeLessThanOrEqual(8);
    expect(node.limit).toBeGreaterThanOrEqual(2048);
    expect(started.limit).toBeLessThan(2048);
  });

  it("gives the API's own process Node's 16 MB semi-space and the same heap limit (docs/performance.md \"The API's young generation\")", () => {
    expect(runtimeEnv({ PATH: '/bin' }, { api: true })).toEqual({
      PATH: '/bin',
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--max-semi-space-size=16 --max-old-space-size=1536',
    });
    // The operator's setting still wins.
    expect(runtimeEnv({ NODE_OPTIONS: '--max-semi-space-size=8' }, { api: true }).NODE_OPTIONS).toBe(
      '--max-semi-space-size=8 --max-old-space-size=1536',
    );
    const api = heapOf(runtimeEnv({ PATH: process.env.PATH ?? '' }, { api: true }));
    expect(api.young).toBeGreaterThan(8);
    expect(api.limit).toBeLessThan(2048);
  });
});
