/**
 * The audit committee chair's landing page (issue #19): the chair oversees the council's whistleblowing
 * arrangements without reading any case, so their home says what they can see in Nolan and what they
 * will see. The published figures (the annual report's counts, with small numbers suppressed) come
 * with the dashboard (issue #16) and are added to this page.
 */
import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

export const COMMITTEE_CHAIR_ROLE = 'audit_committee_chair';

@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class CommitteeHomeController {
  @Get('committee')
  committee(@CurrentStaff() staff: StaffSession, @Res() res: Response): void {
    if (!staff.roles.includes(COMMITTEE_CHAIR_ROLE)) return res.status(403).render('staff/forbidden');
    res.render('staff/committee-home', {});
  }
}
