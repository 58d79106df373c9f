// Why this exists: the case list alone, in process, on a database the system bench seeded
// (BENCH_SEED_ONLY=1), so a change to its queries can be measured in a minute (docs/performance.md "The
// case list"). Reads as the application role, as the API does, through CasesService.list (the tenant,
// the SLA policy, the page, its total, the names, the new-message flags) for the monitoring officer of
// the council with the most cases (who holds all of them): the first page of 50, the page at offset
// 5,000, the page after a cursor that deep, a status filter; and an investigator's "assigned to me". No
// HTTP, sign-in or Nest around it, so it is a little under what the system bench's p95 measures.
//   BENCH_DATABASE=nolan_bench npm run bench -- case-list [--iterations=200]
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AuthenticatedStaff } from '../../apps/api/src/auth/staff-auth.guard';
import { CasesService } from '../../apps/api/src/cases/reads/cases.service';
import { CaseReadsRepository } from '../../apps/api/src/cases/store/case-reads.repository';
import { CasesRepository } from '../../apps/api/src/cases/store/cases.repository';
import { createDataSource } from '../../apps/api/src/database/data-source';
import type { BenchContext } from './bench';

const DATABASE = process.env.BENCH_DATABASE ?? 'nolan_bench';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export async function caseListBench(context: BenchContext): Promise<void> {
  const owner = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}` });
  await owner.connect();
  const people = await owner.query<{ tenant_id: string; id: string; roles: string[]; cases: string }>(
    `WITH biggest AS (SELECT tenant_id, count(*) AS cases FROM cases GROUP BY tenant_id ORDER BY 2 DESC LIMIT 1)
     SELECT s.tenant_id, s.id, s.roles, b.cases FROM biggest b JOIN staff_users s ON s.tenant_id = b.tenant_id
      WHERE s.deactivated_at IS NULL
        AND ('monitoring_officer' = ANY (s.roles) OR 'investigator' = ANY (s.roles))
      ORDER BY s.created_at`,
  );
  await owner.end();
  const mo = people.rows.find((p) => p.roles.includes('monitoring_officer'));
  const inv = people.rows.find((p) => p.roles.includes('investigator'));
  if (!mo || !inv) throw new Error(`${DATABASE} has no council with a monitoring officer: seed it first`);
  const dataSource: DataSource = createDataSource(`postgres://${DATABASE}_app@127.0.0.1:5432/${DATABASE}`);
  await dataSource.initialize();
  const cases = new CasesRepository();
  const service = new CasesService(
    dataSource,
    cases,
    {} as never,
    {} as never,
    {} as never,
    new CaseReadsRepository(),
    {} as never,
  );
  const staff = (who: { tenant_id: string; id: string; roles: string[] }) =>
    ({
      session: { tenantId: who.tenant_id, userId: who.id, roles: who.roles, sessionId: 'bench' },
    }) as unknown as AuthenticatedStaff;
  type Query = Parameters<CasesService['list']>[1];
  const deep = (await service.list(staff(mo), { limit: 50, offset: 4950 } as Query)) as { next?: string };
  const lists: [string, AuthenticatedStaff, Query][] = [
    ['monitoring officer, first page of 50', staff(mo), { limit: 50, offset: 0 } as Query],
    ['monitoring officer, offset=5000', staff(mo), { limit: 50, offset: 5000 } as Query],
    ...(deep.next
      ? ([
          [
            'monitoring officer, the same page by cursor',
            staff(mo),
            { limit: 50, offset: 0, after: deep.next },
          ],
        ] as [string, AuthenticatedStaff, Query][])
      : []),
    [
      'monitoring officer, status=investigation',
      staff(mo),
      { limit: 50, offset: 0, status: 'investigation' } as Query,
    ],
    ['investigator, assigned to me', staff(inv), { limit: 50, offset: 0, assignee: 'me' } as Query],
  ];
  const n = Math.max(20, Math.round(context.iterations / 4));
  console.log(
    `${DATABASE}: council of ${Number(mo.cases).toLocaleString('en-GB')} cases; CasesService.list in process, ${n} runs each (alternating)`,
  );
  const samples = lists.map(() => [] as number[]);
  const totals = lists.map(() => 0);
  for (let i = 0; i < 3; i++) for (const [, who, query] of lists) await service.list(who, { ...query });
  for (let i = 0; i < n; i++)
    for (const [index, [, who, query]] of lists.entries()) {
      const started = performance.now();
      const page = await service.list(who, { ...query });
      samples[index]!.push(performance.now() - started);
      totals[index] = page.total;
    }
  await dataSource.destroy();
  for (const [index, [label]] of lists.entries())
    console.log(
      `${label.padEnd(48)} total ${String(totals[index]).padStart(6)}: median ${percentile(samples[index]!, 50).toFixed(1)} ms, p95 ${percentile(samples[index]!, 95).toFixed(1)} ms`,
    );
}
