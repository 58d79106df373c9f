/**
 * Users and roles (issue #8 "admin pages: users and roles"): the council's staff accounts with filters,
 * adding one (its temporary password shown once, in the answer to the form, never stored or cached), and
 * a person's page: their roles, deactivating or reactivating the account and resetting two-factor
 * sign-in, each behind a confirmation page. What a change did and the routing problems it leaves come
 * from the API (notice, warnings) and are shown as it words them.
 */
import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { STAFF_ROLE_LABELS, STAFF_ROLES } from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { AdminApi, type AdminUser } from '../api/admin-api';
import { formatDate } from '../staff/case-view';
import { type FormErrors, formErrors } from '../staff/form-errors';
import { CurrentStaff, StaffGuard } from '../staff/staff-guard';
import { StaffPageFilter } from '../staff/staff-page.filter';
import type { StaffSession } from '../staff/staff-session';
import { type Form, formatFingerprint, roleList } from './admin-forms';
import { AdministratorsOnly } from './administrators-only.guard';
import {
  newUserFromForm,
  parseUserFilters,
  roleItems,
  rolesFromForm,
  userErrors,
  userFiltersQuery,
  userPagination,
  USERS_PAGE_SIZE,
} from './user-form';

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The three account actions, each confirmed on a page of its own first. */
const ACTIONS = {
  deactivate: {
    title: 'Deactivate this account?',
    button: 'Deactivate account',
    warning: true,
    text: [
      'They are signed out at once and cannot sign in. No new case is routed or assigned to them.',
      'Cases they already hold are not moved and nothing is lost: the monitoring officer should transfer them to someone else. You can reactivate the account later.',
    ],
  },
  reactivate: {
    title: 'Reactivate this account?',
    button: 'Reactivate account',
    warning: false,
    text: [
      'They can sign in again with their password and two-factor sign-in. Their roles take effect again only when the monitoring officer confirms them in Nolan (the head of paid service, for the monitoring officer’s post): until then they receive no case, not even the ones they held.',
    ],
  },
  'reset-two-factor': {
    title: 'Reset two-factor sign-in?',
    button: 'Reset two-factor sign-in',
    warning: true,
    text: [
      'Use this when they have lost the phone or app that gives their codes. Their sessions end, and at their next sign-in they set up two-factor sign-in again with their password.',
      'Check who is asking first, in person or by calling them back: with the password alone, whoever sets up two-factor sign-in next gets in.',
    ],
  },
} as const;
type Action = keyof typeof ACTIONS;

function isAction(value: string): value is Action {
  return Object.hasOwn(ACTIONS, value);
}

@Controller('staff/admin/users')
@UseGuards(StaffGuard, AdministratorsOnly)
@UseFilters(StaffPageFilter)
export class AdminUsersController {
  constructor(private readonly api: AdminApi) {}

  @Get()
  async list(
    @CurrentStaff() staff: StaffSession,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const filters = parseUserFilters(query);
    const page = await this.api.users(staff.token, {
      role: filters.role,
      active: filters.active === undefined ? undefined : filters.active === 'yes',
      limit: USERS_PAGE_SIZE,
      offset: (filters.page - 1) * USERS_PAGE_SIZE,
    });
    res.render('admin/users', {
      section: 'admin',
      filters,
      total: page.total,
      rows: page.items.map((u) => ({ ...u, rolesText: roleList(u.roles) })),
      pagination: userPagination(filters, page.total),
      roleOptions: [
        { value: '', text: 'Any role' },
        ...STAFF_ROLES.map((r) => ({ value: r, text: STAFF_ROLE_LABELS[r] })),
      ].map((item) => ({ ...item, selected: (filters.role ?? '') === item.value })),
      activeItems: [
        { value: '', text: 'Any' },
        { value: 'yes', text: 'Active' },
        { value: 'no', text: 'Deactivated' },
      ].map((item) => ({ ...item, checked: (filters.active ?? '') === item.value })),
      clearHref: userFiltersQuery({}) || '/staff/admin/users',
    });
  }

  @Get('new')
  newUser(@Res() res: Response) {
    res.render('admin/user-new', { section: 'admin', values: {}, roleItems: roleItems([]) });
  }

  @Post('new')
  async create(@CurrentStaff() staff: StaffSession, @Body() body: Form, @Res() res: Response) {
    const { user, problems } = newUserFromForm(body);
    let errors = formErrors(problems);
    let status = 400;
    if (!errors) {
      try {
        const created = await this.api.createUser(staff.token, user);
        // Rendered in the answer to the form, never redirected to: the password is in no URL, no session
        // and (Cache-Control: no-store on every page) no cache. Reloading sends the form again, which the
        // API refuses because the address is taken, so the password can never be shown twice.
        return res.render('admin/user-created', {
          section: 'admin',
          user: created.user,
          rolesText: roleList(created.user.roles),
          temporaryPassword: created.temporaryPassword,
          notice: created.notice,
        });
      } catch (error) {
        if (!(error instanceof ApiProblem) || (error.status !== 400 && error.status !== 409)) throw error;
        status = error.status;
        errors =
          error.status === 409
            ? formErrors(error.messages.map((text) => ({ id: 'email', text })))
            : userErrors(error.messages);
      }
    }
    res.status(status).render('admin/user-new', {
      section: 'admin',
      values: { name: user.name, email: user.email },
      roleItems: roleItems(user.roles),
      errors,
    });
  }

  @Get(':id')
  async user(@CurrentStaff() staff: StaffSession, @Param('id') id: string, @Res() res: Response) {
    const user = await this.api.user(staff.token, this.checkId(id));
    this.renderUser(res, user, {});
  }

  @Post(':id/roles')
  async roles(
    @CurrentStaff() staff: StaffSession,
    @Param('id') id: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const userId = this.checkId(id);
    const { roles, problems } = rolesFromForm(
      body,
      'Select at least one role, or deactivate the account instead',
    );
    let errors: FormErrors | undefined = formErrors(problems);
    let status = 400;
    if (!errors) {
      try {
        const updated = await this.api.updateUser(staff.token, userId, { roles });
        return this.renderUser(res, updated.user, { notice: updated.notice, warnings: updated.warnings });
      } catch (error) {
        if (!(error instanceof ApiProblem) || (error.status !== 400 && error.status !== 409)) throw error;
        status = error.status;
        errors =
          error.status === 409
            ? formErrors(error.messages.map((text) => ({ id: 'roles', text })))
            : userErrors(error.messages);
      }
    }
    const user = await this.api.user(staff.token, userId);
    this.renderUser(res.status(status), user, { errors, checkedRoles: roles });
  }

  @Get(':id/:action')
  async confirm(
    @CurrentStaff() staff: StaffSession,
    @Param('id') id: string,
    @Param('action') action: string,
    @Res() res: Response,
  ) {
    const what = this.checkAction(action);
    const user = await this.api.user(staff.token, this.checkId(id));
    res.render('admin/user-confirm', { section: 'admin', user, action: what, ...ACTIONS[what] });
  }

  @Post(':id/:action')
  async act(
    @CurrentStaff() staff: StaffSession,
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() _body: Form,
    @Res() res: Response,
  ) {
    const userId = this.checkId(id);
    const what = this.checkAction(action);
    try {
      if (what === 'reset-two-factor') {
        const reset = await this.api.resetTwoFactor(staff.token, userId);
        return this.renderUser(res, reset.user, { notice: reset.notice });
      }
      const updated = await this.api.updateUser(staff.token, userId, { active: what === 'reactivate' });
      return this.renderUser(res, updated.user, { notice: updated.notice, warnings: updated.warnings });
    } catch (error) {
      // The council's last active administrator: the API refuses, and says what to do instead.
      if (!(error instanceof ApiProblem) || error.status !== 409) throw error;
      const user = await this.api.user(staff.token, userId);
      this.renderUser(res.status(409), user, {
        errors: formErrors(error.messages.map((text) => ({ id: 'account-actions', text }))),
      });
    }
  }

  private renderUser(
    res: Response,
    user: AdminUser,
    extra: { notice?: string[]; warnings?: string[]; errors?: FormErrors; checkedRoles?: string[] },
  ) {
    res.render('admin/user', {
      section: 'admin',
      user,
      rolesText: roleList(user.roles),
      created: formatDate(user.createdAt),
      deactivated: formatDate(user.deactivatedAt),
      fingerprint: formatFingerprint(user.keyFingerprint),
      roleItems: roleItems(extra.checkedRoles ?? user.roles),
      notice: extra.notice,
      warnings: extra.warnings,
      errors: extra.errors,
    });
  }

  private checkId(id: string): string {
    if (!USER_ID.test(id)) throw new NotFoundException();
    return id.toLowerCase();
  }

  private checkAction(action: string): Action {
    if (!isAction(action)) throw new NotFoundException();
    return action;
  }
}
