/**
 * How the supervisor starts its API processes (API_PROCESSES > 1, docs/performance.md "Using both cores"):
 * each with at most two glibc malloc arenas, V8's young generation at 4 MB a semi-space and a 1.5 GB heap
 * limit, unless the operator has set any of them (docs/performance.md "Memory"). scripts/runtime-env.js
 * gives npm start's and the bench's processes the same settings, but for the API's semi-space, which it
 * sets to 16 MB in the supervisor's NODE_OPTIONS, and the forks then keep (docs/performance.md "The API's
 * young generation").
 */

/**
 * Node's defaults on 64-bit are 16 MB a semi-space (a 32 MB young generation) and a 4 GB heap limit; with a
 * limit of 2 GB or more V8 lets the heap grow up to four times between full collections, less below it.
 */
export const V8_MEMORY_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=1536'];

export interface ForkSettings {
  /** Added to the forks' environment (node:cluster's fork(env) adds it to process.env). */
  env: Record<string, string>;
  /** The forks' node flags (node:cluster's setupPrimary({ execArgv })). */
  execArgv: string[];
}

export function forkSettings(env: NodeJS.ProcessEnv, execArgv: readonly string[]): ForkSettings {
  const given = [...execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  const missing = V8_MEMORY_FLAGS.filter((flag) => !new RegExp(`${flag.split('=')[0]}\\b`).test(given));
  return {
    // Set before the process starts (glibc reads it once), so here for the forks.
    env: { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX || '2' },
    execArgv: [...execArgv, ...missing],
  };
}
