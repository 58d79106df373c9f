// Why this exists: the dashboard's figure alone, in process, on a database the system bench seeded
// (BENCH_SEED_ONLY=1), so a change to its reads can be measured in a minute instead of the full run's
// fifteen (docs/performance.md "Dashboard at scale"). Reads as the application role, as the API does:
// the monitoring officer of the council with the most cases, this financial year, through
// DashboardService.figures (the SLA policy, the four reads, the tally, the figures) and JSON.stringify.
// No HTTP, sign-in or Nest around it, so it is a little under what the system bench's p95 measures.
//   BENCH_DATABASE=nolan_bench npm run bench -- dashboard [--iterations=50]
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../../apps/api/src/audit/audit.service';
import type { StaffSession } from '../../apps/api/src/auth/session-store';
import { DashboardRepository } from '../../apps/api/src/dashboard/dashboard.repository';
import { DashboardService } from '../../apps/api/src/dashboard/dashboard.service';
import { ReportModes } from '../../apps/api/src/dashboard/report-modes';
import type { AppConfig } from '../../apps/api/src/config/config';
import { createDataSource } from '../../apps/api/src/database/data-source';
import type { TenantsRepository } from '../../apps/api/src/tenants/tenants.repository';
import type { BenchContext } from './bench';

const DATABASE = process.env.BENCH_DATABASE ?? 'nolan_bench';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export async function dashboardBench(context: BenchContext): Promise<void> {
  const owner = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}` });
  await owner.connect();
  const found = await owner.query<{ tenant_id: string; id: string; cases: string }>(
    `WITH biggest AS (SELECT tenant_id, count(*) AS cases FROM cases GROUP BY tenant_id ORDER BY 2 DESC LIMIT 1)
     SELECT s.tenant_id, s.id, b.cases FROM biggest b JOIN staff_users s ON s.tenant_id = b.tenant_id
      WHERE 'monitoring_officer' = ANY (s.roles) AND s.deactivated_at IS NULL LIMIT 1`,
  );
  await owner.end();
  const mo = found.rows[0];
  if (!mo) throw new Error(`${DATABASE} has no council with a monitoring officer: seed it first`);
  const dataSource: DataSource = createDataSource(`postgres://${DATABASE}_app@127.0.0.1:5432/${DATABASE}`);
  await dataSource.initialize();
  const service = new DashboardService(
    dataSource,
    new DashboardRepository(),
    {} as AuditService,
    {} as TenantsRepository,
    // The mode tags are read with MODE_TAG_SECRET's key; the seeded council's when given, else one that
    // matches no tag (every mode "not recorded": the HMACs cost the same).
    new ReportModes({
      modeTagSecret: process.env.MODE_TAG_SECRET ?? 'a bench mode tag secret that matches no tag',
    } as AppConfig),
  );
  const session = {
    tenantId: mo.tenant_id,
    userId: mo.id,
    roles: ['monitoring_officer'],
    scope: 'full',
    sessionId: 'bench',
  } as unknown as StaffSession;
  const once = async () => {
    const started = performance.now();
    const figures = await service.figures(session, {});
    JSON.stringify(figures);
    return { ms: performance.now() - started, received: figures.received };
  };
  for (let i = 0; i < 3; i++) await once(); // warm: plans, day-number memo, JIT
  const n = Math.max(20, Math.round(context.iterations / 4));
  const samples: number[] = [];
  let received = 0;
  for (let i = 0; i < n; i++) {
    const s = await once();
    samples.push(s.ms);
    received = s.received;
  }
  await dataSource.destroy();
  console.log(
    `${DATABASE}: council of ${Number(mo.cases).toLocaleString('en-GB')} cases, this financial year (${received.toLocaleString('en-GB')} received)`,
  );
  console.log(
    `dashboard figures in process, ${n} runs: median ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`,
  );
}
