/**
 * The administrators' home (issue #8 "admin pages"): where an administrator lands after sign-in, a link
 * to each admin page, and the routing problems the role holders have now (roles nobody holds, concerns
 * with nowhere to go), so they are seen before anything else.
 */
import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AdminApi } from '../api/admin-api';
import { CurrentStaff, StaffGuard } from '../staff/staff-guard';
import { StaffPageFilter } from '../staff/staff-page.filter';
import type { StaffSession } from '../staff/staff-session';
import { AdministratorsOnly } from './administrators-only.guard';

/** The admin pages, in the order the home page lists them. */
export const ADMIN_PAGES = [
  {
    href: '/staff/admin/users',
    title: 'Users and roles',
    text: 'Add staff accounts, change their roles, deactivate them or reset their two-factor sign-in.',
  },
  {
    href: '/staff/admin/role-holders',
    title: 'Role holders for routing',
    text: 'Who holds each role that cases are routed by, and the roles nobody holds.',
  },
  {
    href: '/staff/admin/conflict-routes',
    title: 'Conflict routes',
    text: 'Where a concern about a statutory officer goes instead, and who it would reach today.',
  },
  {
    href: '/staff/admin/categories',
    title: 'Categories and questions',
    text: 'What reporters choose from and are asked, with each category’s clock and default route.',
  },
  {
    href: '/staff/admin/sla',
    title: 'Deadlines (SLA policy)',
    text: 'The clocks every case runs to, and which categories run the safeguarding clock.',
  },
  {
    href: '/staff/admin/retention',
    title: 'Retention',
    text: 'How long a closed case is kept, by category and outcome.',
  },
  {
    href: '/staff/admin/keys',
    title: 'Council keys',
    text: 'The fingerprints of the key that signs case exports and of the escrow key.',
  },
  { href: '/staff/admin/queues', title: 'Queues', text: 'The background work, and failed jobs to retry.' },
] as const;

@Controller('staff/admin')
@UseGuards(StaffGuard, AdministratorsOnly)
@UseFilters(StaffPageFilter)
export class AdminHomeController {
  constructor(private readonly api: AdminApi) {}

  @Get()
  async home(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    const holders = await this.api.roleHolders(staff.token);
    res.render('admin/home', { section: 'admin', pages: ADMIN_PAGES, warnings: holders.warnings });
  }
}
