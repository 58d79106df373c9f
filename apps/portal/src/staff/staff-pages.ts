/**
 * The staff side of the portal (issue #8: handlers, the monitoring officer, administrators), registered
 * in PortalModule as these two lists so the reporter pages and the staff pages grow apart.
 */
import { StaffApi } from '../api/staff-api';
import { CommitteeHomeController } from './committee-home.controller';
import { DashboardApi } from '../api/dashboard-api';
import { DashboardController } from './dashboard.controller';
import { StaffAccountController } from './staff-account.controller';
import { StaffAssignmentController } from './staff-assignment.controller';
import { StaffAuthController } from './staff-auth.controller';
import { StaffCaseMoreController } from './staff-case-more.controller';
import { StaffRecommendationsController } from './staff-recommendations.controller';
import { StaffCaseReportController } from './staff-case-report.controller';
import { StaffCaseActionsController } from './staff-case-actions.controller';
import { StaffCasesController } from './staff-cases.controller';
import { StaffHomeController } from './staff-home.controller';
import { StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import { StaffSessions } from './staff-session';

export const STAFF_CONTROLLERS = [
  StaffAuthController,
  StaffAccountController,
  StaffHomeController,
  StaffCasesController,
  StaffCaseActionsController,
  StaffCaseMoreController,
  StaffRecommendationsController,
  StaffAssignmentController,
  StaffCaseReportController,
  CommitteeHomeController,
  DashboardController,
];

export const STAFF_PROVIDERS = [StaffApi, DashboardApi, StaffSessions, StaffGuard, StaffPageFilter];
