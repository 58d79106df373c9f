/**
 * The admin pages are for administrators only. The API refuses anyone else (403) anyway, but a page that
 * asks the API nothing (the admin home) must refuse too, so this runs after StaffGuard on every admin page:
 * anyone else gets the "problem with your request" page with 403, as the API's own refusals do.
 */
import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { StaffRequest } from '../staff/staff-guard';

@Injectable()
export class AdministratorsOnly implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const staff = context.switchToHttp().getRequest<StaffRequest>().staff;
    if (!staff?.roles.includes('administrator')) throw new ForbiddenException('For administrators only');
    return true;
  }
}
