/**
 * The administrators' pages (issue #8 "admin pages"), registered in PortalModule as these two lists, as
 * the staff pages are (staff-pages.ts). They sit behind the staff session (StaffGuard) and are for
 * administrators only (AdministratorsOnly); the API checks that again on every call.
 */
import { AdminApi } from '../api/admin-api';
import { AdminConflictRoutesController } from './admin-conflict-routes.controller';
import { AdminHomeController } from './admin-home.controller';
import { AdminPolicyController } from './admin-policy.controller';
import { AdminRetentionController } from './admin-retention.controller';
import { AdminRoleHoldersController } from './admin-role-holders.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdministratorsOnly } from './administrators-only.guard';

export const ADMIN_CONTROLLERS = [
  AdminHomeController,
  AdminUsersController,
  AdminRoleHoldersController,
  AdminConflictRoutesController,
  AdminPolicyController,
  AdminRetentionController,
];

export const ADMIN_PROVIDERS = [AdminApi, AdministratorsOnly];
