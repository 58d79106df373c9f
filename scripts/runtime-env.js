/*
 * The environment every Nolan process is started with (npm start, the system bench; the Dockerfile sets
 * the same): V8's young generation at 4 MB a semi-space, a 1.5 GB heap limit (under 2 GB V8 lets the heap
 * grow by a smaller factor between full collections), and at most two glibc malloc arenas; each kept when
 * the operator has set it already. apps/api/src/api-processes.ts gives the API's forks the same.
 * Measured in docs/performance.md "Memory".
 */
'use strict';

/** Node's defaults on 64-bit: 16 MB a semi-space (32 MB young generation) and a 4 GB heap limit. */
const V8_MEMORY_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=1536'];

/**
 * The API's own: Node's 16 MB semi-space, kept for the process that serves requests. With 4 MB, garbage
 * collection was 11 % of the API's main thread under 32 clients, and on a quiet machine intake there was
 * 56/s against 64/s with 16 MB, one client's p50 32 against 24 ms, for 15–25 MB more resident set
 * (docs/performance.md "The API's young generation"). The workers and the portal keep 4 MB.
 */
const API_V8_MEMORY_FLAGS = ['--max-semi-space-size=16', '--max-old-space-size=1536'];

const flagName = (flag) => flag.split('=')[0];
const hasFlag = (options, flag) => new RegExp(`${flagName(flag)}\\b`).test(options);

/**
 * `env` with MALLOC_ARENA_MAX=2 and the V8 memory flags in NODE_OPTIONS, each unless already set;
 * `{ api: true }` for the API's process (its forks, API_PROCESSES > 1, take NODE_OPTIONS from it).
 */
function runtimeEnv(env = process.env, options = {}) {
  const result = { ...env };
  if (!result.MALLOC_ARENA_MAX) result.MALLOC_ARENA_MAX = '2';
  const given = result.NODE_OPTIONS || '';
  const flags = options.api ? API_V8_MEMORY_FLAGS : V8_MEMORY_FLAGS;
  const missing = flags.filter((flag) => !hasFlag(given, flag));
  if (missing.length) result.NODE_OPTIONS = [given, ...missing].join(' ').trim();
  return result;
}

module.exports = { V8_MEMORY_FLAGS, API_V8_MEMORY_FLAGS, runtimeEnv };
