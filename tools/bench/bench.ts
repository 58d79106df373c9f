// Why this exists: `npm run bench` — one entry point for Nolan's performance figures. Each bench is a named
// function in the registry below that prints its own table; add a bench by writing `<name>.bench.ts` and
// registering it here. Figures only: nothing passes or fails.
//   npm run bench                         every bench
//   npm run bench -- crypto-floor         only the named benches
//   npm run bench -- --iterations=500     more (or fewer) iterations per measurement
//   npm run bench -- --list               the registry
// Supports docs/architecture.md "Encryption model" (its cost) and docs/performance.md "The cost of the
// cryptography".
import { cpus } from 'node:os';
import { caseListBench } from './case-list.bench';
import { cryptoFloorBench } from './crypto-floor.bench';
import { dashboardBench } from './dashboard.bench';
import { reporterBatchBench } from './reporter-batch.bench';
import { systemBench } from './system.bench';

export interface BenchContext {
  /** Measured iterations for a fast operation; slow ones (Argon2) scale down from it. */
  iterations: number;
}

interface BenchDefinition {
  name: string;
  description: string;
  run: (context: BenchContext) => Promise<void>;
}

const BENCHES: BenchDefinition[] = [
  {
    name: 'crypto-floor',
    description: "libs/crypto alone: one submission's openpgp work, and its single operations",
    run: cryptoFloorBench,
  },
  {
    name: 'reporter-batch',
    description: 'what reporter batching costs: submission to notice per batch, and the size buckets',
    run: reporterBatchBench,
  },
  {
    name: 'system',
    description:
      'issue #18: the built API and workers on a seeded database, driven over HTTP (BENCH_SCALE=small|full)',
    run: systemBench,
  },
  {
    name: 'dashboard',
    description:
      "the monitoring officer's figures alone, in process, on a database the system bench seeded (BENCH_DATABASE)",
    run: dashboardBench,
  },
  {
    name: 'case-list',
    description:
      'the case list alone, in process, on a database the system bench seeded (BENCH_DATABASE): first, deep and cursor pages, a filter, "assigned to me"',
    run: caseListBench,
  },
];

const DEFAULT_ITERATIONS = 200;

function parseArguments(argv: string[]): { names: string[]; iterations: number; list: boolean } {
  let iterations = DEFAULT_ITERATIONS;
  let list = false;
  const names: string[] = [];
  for (const argument of argv) {
    const match = /^--iterations=(\d+)$/.exec(argument);
    if (match) iterations = Math.max(1, Number(match[1]));
    else if (argument === '--list') list = true;
    else if (argument.startsWith('--')) throw new Error(`unknown option ${argument}`);
    else names.push(argument);
  }
  return { names, iterations, list };
}

async function main(): Promise<void> {
  const { names, iterations, list } = parseArguments(process.argv.slice(2));
  if (list) {
    for (const bench of BENCHES) console.log(`${bench.name.padEnd(16)} ${bench.description}`);
    return;
  }
  const unknown = names.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')} (try --list)`);
  const selected = names.length > 0 ? BENCHES.filter((bench) => names.includes(bench.name)) : BENCHES;

  console.log(
    `Nolan bench — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
  );
  for (const bench of selected) {
    console.log(`\n== ${bench.name}: ${bench.description}`);
    await bench.run({ iterations });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
