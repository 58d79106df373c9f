/**
 * Role holders for routing (issue #8 "role holders for routing"): routing speaks in roles, so who holds
 * each one decides where every concern goes. The API's warnings (a role nobody active holds, a concern
 * with nowhere to go, an administrator who also holds a case role) come first, as GOV.UK warning text.
 */
import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AdminApi } from '../api/admin-api';
import { CurrentStaff, StaffGuard } from '../staff/staff-guard';
import { StaffPageFilter } from '../staff/staff-page.filter';
import type { StaffSession } from '../staff/staff-session';
import { AdministratorsOnly } from './administrators-only.guard';

@Controller('staff/admin/role-holders')
@UseGuards(StaffGuard, AdministratorsOnly)
@UseFilters(StaffPageFilter)
export class AdminRoleHoldersController {
  constructor(private readonly api: AdminApi) {}

  @Get()
  async roleHolders(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    const view = await this.api.roleHolders(staff.token);
    res.render('admin/role-holders', { section: 'admin', roles: view.roles, warnings: view.warnings });
  }
}
