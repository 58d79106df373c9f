/**
 * The monitoring officer's home (issue #8): cases waiting for their decision, identity requests waiting
 * for them as custodian, the clocks that are overdue or due soon, and what administrators changed lately
 * (an account given a handler role receives new concerns) — the full dashboard with charts comes later. Also the administrators' queue page (issue #6's operational view: counts, the
 * dead-letter list, retry), the one administration API there is today.
 *
 * The API has no tenant-wide list of identity requests yet, so the home page asks each open case it
 * holds (at most HOME_CASE_LIMIT of them); a listing endpoint would make this one call.
 */
import { Body, Controller, Get, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CASE_STATUS_LABELS, type CaseStatus, rolesInWords, toLondonDate } from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { type CaseSummary, StaffApi } from '../api/staff-api';
import { formatDate } from './case-view';
import { CurrentStaff, isOverseer, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';
import { mostUrgentClock, SLA_CLOCK_LABELS, slaBadge } from './sla-status';

const HOME_CASE_LIMIT = 100;

@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffHomeController {
  constructor(private readonly api: StaffApi) {}

  @Get('home')
  async home(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    if (!isOverseer(staff)) return res.redirect(303, '/staff/cases');
    const open: CaseSummary[] = [];
    for (let offset = 0; offset < HOME_CASE_LIMIT; offset += 100) {
      const page = await this.api.listCases(staff.token, { limit: 100, offset });
      open.push(...page.items.filter((c) => c.status !== 'closed'));
      if (offset + page.items.length >= page.total || page.items.length === 0) break;
    }
    const decisions = open.filter((c) => c.status === 'decision');
    const clocks = open
      .map((c) => ({ c, clock: mostUrgentClock(c) }))
      .filter(({ clock }) => clock && clock.state !== 'on_track');
    const requests = [];
    for (const c of open) {
      const list = await this.api.identityRequests(staff.token, c.reference).catch((error: unknown) => {
        if (error instanceof ApiProblem && error.status === 404) return [];
        throw error;
      });
      for (const r of list)
        if (r.status === 'pending' && r.requesterId !== staff.userId)
          requests.push({ reference: c.reference, id: r.id, requestedOn: formatDate(r.requestedOn), reason: r.reason ?? '' });
    }
    // What administrators changed: someone given a handler role receives new concerns, so the overseer
    // sees each change (GET /oversight/changes).
    const changes = await this.api.settingsChanges(staff.token, 10);
    // Roles an administrator asked for give nothing until an oversight role confirms them (issue #15).
    const roleRequests = await this.api.roleRequests(staff.token);
    res.render('staff/home', {
      section: 'home',
      roleRequests: roleRequests.items.map((r) => ({
        ...r,
        requestedLabel: rolesInWords(r.requested),
        requestedOn: r.requestedAt ? formatDate(toLondonDate(new Date(r.requestedAt))) : '',
      })),
      roleWarnings: roleRequests.warnings,
      changes: changes.items.map((c) => ({
        when: formatDate(toLondonDate(new Date(c.at))),
        text: `${c.by} ${c.summary}.`,
        flagged: c.givesAccessToConcerns,
      })),
      changesTotal: changes.total,
      openCount: open.length,
      decisions: decisions.map((c) => ({ reference: c.reference, categoryTitle: c.categoryTitle, received: formatDate(c.receivedOn) })),
      requests,
      clocks: clocks.map(({ c, clock }) => ({
        reference: c.reference,
        categoryTitle: c.categoryTitle,
        status: CASE_STATUS_LABELS[c.status as CaseStatus] ?? c.status,
        clock: clock ? SLA_CLOCK_LABELS[clock.clock] : '',
        due: formatDate(clock?.due),
        badge: slaBadge(clock),
      })),
      overdueCount: clocks.filter(({ clock }) => clock?.state === 'overdue').length,
    });
  }

  /** Confirms or refuses the roles awaiting confirmation on one account; the API decides who may. */
  @Post('oversight/role-requests/:userId')
  async decideRoles(
    @CurrentStaff() staff: StaffSession,
    @Param('userId') userId: string,
    @Body() body: { decision?: string; lead?: string | string[]; requested?: string },
    @Res() res: Response,
  ) {
    const decision = body.decision === 'confirm' ? 'confirm' : 'refuse';
    const lead = body.lead === 'yes' || (Array.isArray(body.lead) && body.lead.includes('yes'));
    // The roles shown on the page: the API decides the request as seen, or not at all (409).
    const roles = typeof body.requested === 'string' ? body.requested.split(',').filter(Boolean) : undefined;
    await this.api.decideRoleRequest(staff.token, userId, decision === 'confirm' ? { decision, lead, roles } : { decision, roles });
    res.redirect(303, '/staff/home#role-requests');
  }

  /** The monitoring officer's copy of the audit trail's head, signed, to keep outside Nolan (issue #15). */
  @Get('oversight/audit-checkpoint')
  async auditCheckpoint(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    const file = await this.api.auditCheckpoint(staff.token);
    res.setHeader('Content-Disposition', `attachment; filename="nolan-audit-checkpoint-${file.tenant}-${file.seq}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(JSON.stringify(file, null, 2));
  }

  @Get('admin/queues')
  async queues(@CurrentStaff() staff: StaffSession, @Res() res: Response, @Query('retried') retried?: string) {
    const overview = await this.api.queues(staff.token);
    res.render('staff/queues', {
      section: 'admin',
      queues: overview.queues.map((q) => ({
        ...q,
        failed: q.failed.map((job) => ({ ...job, finishedOn: job.finishedOn ? job.finishedOn.replace('T', ' ').slice(0, 19) : '' })),
      })),
      failedTotal: overview.queues.reduce((sum, q) => sum + q.failed.length, 0),
      placementOverdue: overview.placementOverdue,
      notice: typeof retried === 'string' && /^[\w:.-]{1,200}$/.test(retried) ? `Job ${retried} will be tried again.` : undefined,
    });
  }

  @Post('admin/queues/:queue/jobs/:id/retry')
  async retry(
    @CurrentStaff() staff: StaffSession,
    @Param('queue') queue: string,
    @Param('id') id: string,
    @Body() _body: unknown,
    @Res() res: Response,
  ) {
    await this.api.retryJob(staff.token, queue, id);
    res.redirect(303, `/staff/admin/queues?retried=${encodeURIComponent(id)}`);
  }
}
