/**
 * Postgres is the source of truth for every SLA clock (issue #17, "clocks that survive Redis"). A case's
 * timers are a pure function of its row (`timersFor`), and whether a timer has already done its work is
 * in `sla_events`; Redis holds only the delayed jobs that wake the workers up. So when Redis loses its
 * data (a crash without persistence, a failover, a flushed managed Redis) nothing is lost that cannot be
 * derived again: this pass reads every open case of every council (and every closed one with a
 * recommendation still outstanding), derives its timers, leaves out those
 * already notified, and adds the rest as jobs. Adding is idempotent (a job's id is its case, clock and
 * date: one still in Redis is left untouched), so the pass is safe to run at any time, from any number
 * of workers. A timer whose day passed while Redis was away is added with no delay and fires at once:
 * a late reminder rather than none. When it runs is decided in workers/redis-recovery.runner.ts.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CaseEntity } from '../cases/store/case.entity';
import { inTenant } from '../database/tenant-transaction';
import { TenantEntity } from '../tenants/tenant.entity';
import { type SlaTimer, SlaService } from './sla.service';
import { tenantSlaPolicy } from '../tenants/tenant-sla';

/** Cases read per query, and jobs added per Redis round trip. */
const PAGE = 500;
const ADD_CHUNK = 200;

export interface ReconcileOutcome {
  /** Open cases looked at. */
  cases: number;
  /** Timers those cases should have and that have not yet notified anyone: each is now a job in Redis. */
  timers: number;
}

@Injectable()
export class SlaReconciler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sla: SlaService,
  ) {}

  /** One pass over every council. Throws if Postgres or Redis cannot be reached (the caller retries). */
  async reconcile(): Promise<ReconcileOutcome> {
    const outcome: ReconcileOutcome = { cases: 0, timers: 0 };
    const tenants = await this.dataSource.getRepository(TenantEntity).find({ select: { id: true } });
    for (const tenant of tenants) {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const { cases, pending } = await inTenant(this.dataSource, tenant.id, (m) => this.page(m, after));
        outcome.cases += cases.length;
        outcome.timers += pending.length;
        for (let i = 0; i < pending.length; i += ADD_CHUNK)
          await this.sla.enqueue(pending.slice(i, i + ADD_CHUNK));
        if (cases.length < PAGE) break;
        after = cases[cases.length - 1].id;
      }
    }
    return outcome;
  }

  /**
   * One page of a council's open cases (and closed ones with recommendations still outstanding), and
   * the timers of theirs that have not notified yet.
   */
  private async page(m: EntityManager, after: string) {
    const cases = await m
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.id > :after', { after })
      .andWhere('c.destroyed_on IS NULL')
      .andWhere(
        `(c.status <> 'closed' OR EXISTS (SELECT 1 FROM case_recommendations r WHERE r.case_id = c.id
           AND r.status IN ('open', 'in_progress') AND r.due_on IS NOT NULL))`,
      )
      .orderBy('c.id', 'ASC')
      .take(PAGE)
      .getMany();
    if (!cases.length) return { cases, pending: [] as SlaTimer[] };
    const { policy } = await tenantSlaPolicy(m);
    const fired: { case_id: string; kind: string; due_on: string }[] = await m.query(
      `SELECT case_id, kind, due_on::text AS due_on FROM sla_events WHERE case_id = ANY($1::uuid[])`,
      [cases.map((c) => c.id)],
    );
    const done = new Set(fired.map((f) => `${f.case_id}/${f.kind}/${f.due_on}`));
    const pending = (await this.sla.timersOfAll(m, cases, policy)).filter(
      (t) => !done.has(`${t.caseId}/${t.kind}/${t.due}`),
    );
    return { cases, pending };
  }
}
