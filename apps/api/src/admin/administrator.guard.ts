import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/staff-auth.guard';
import { AppError } from '../errors/app-error';

/**
 * Only administrators reach the admin API (use after StaffAuthGuard). The roles are the session's: a role
 * change ends the person's sessions (AdminUsersService), so a removed administrator is out at once.
 */
@Injectable()
export class AdministratorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const staff = context.switchToHttp().getRequest<AuthenticatedRequest>().staff;
    if (!staff) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    if (!staff.session.roles.includes('administrator'))
      throw new AppError('FORBIDDEN', 'Only administrators can manage users and the council’s settings.');
    return true;
  }
}
