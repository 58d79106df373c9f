/**
 * The signed-in user's own account: their password (the API re-encrypts their private key under the new
 * one and ends their other sessions) and the OpenPGP public key case exports are encrypted to.
 */
import { Body, Controller, Get, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { StaffApi } from '../api/staff-api';
import { apiErrors, type FormErrors, formErrors } from './form-errors';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  password: 'Your password has been changed. You have been signed out everywhere else.',
  key: 'Your OpenPGP key has been saved. Case exports will be encrypted to it.',
};

@Controller('staff/account')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffAccountController {
  constructor(private readonly api: StaffApi) {}

  @Get()
  async account(@CurrentStaff() staff: StaffSession, @Res() res: Response, @Query('done') done?: string) {
    await this.render(res, staff, { notice: NOTICES[String(done ?? '')] });
  }

  @Post('password')
  async password(@CurrentStaff() staff: StaffSession, @Body() body: Form, @Res() res: Response) {
    const current = typeof body.currentPassword === 'string' ? body.currentPassword : '';
    const next = typeof body.newPassword === 'string' ? body.newPassword : '';
    const confirm = typeof body.confirmPassword === 'string' ? body.confirmPassword : '';
    const problems: { id: string; text: string }[] = [];
    if (!current) problems.push({ id: 'currentPassword', text: 'Enter your current password' });
    if (next.length < 12) problems.push({ id: 'newPassword', text: 'Your new password must be at least 12 characters' });
    else if (next.length > 256) problems.push({ id: 'newPassword', text: 'Your new password must be 256 characters or fewer' });
    else if (next !== confirm) problems.push({ id: 'confirmPassword', text: 'The passwords do not match' });
    let errors = formErrors(problems);
    if (!errors) {
      try {
        await this.api.changePassword(staff.token, current, next);
        return res.redirect(303, '/staff/account?done=password');
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
        errors = apiErrors(error.messages, [
          { id: 'currentPassword', apiNames: ['currentPassword'] },
          { id: 'newPassword', apiNames: ['newPassword'] },
        ]);
      }
    }
    await this.render(res.status(400), staff, { errors });
  }

  @Post('openpgp-key')
  async key(@CurrentStaff() staff: StaffSession, @Body() body: Form, @Res() res: Response) {
    const key = typeof body.key === 'string' ? body.key.trim() : '';
    let errors: FormErrors | undefined;
    if (!key) errors = formErrors([{ id: 'key', text: 'Paste your OpenPGP public key' }]);
    else if (!key.includes('BEGIN PGP PUBLIC KEY BLOCK'))
      errors = formErrors([{ id: 'key', text: 'Paste the whole public key, from -----BEGIN PGP PUBLIC KEY BLOCK----- to the end' }]);
    else if (key.length > 20000) errors = formErrors([{ id: 'key', text: 'The key must be 20,000 characters or fewer' }]);
    if (!errors) {
      try {
        await this.api.registerKey(staff.token, key);
        return res.redirect(303, '/staff/account?done=key');
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
        errors = apiErrors(['That is not an OpenPGP public key Nolan can encrypt to'], [{ id: 'key', apiNames: [] }]);
      }
    }
    await this.render(res.status(400), staff, { errors, key });
  }

  private async render(res: Response, staff: StaffSession, extra: Record<string, unknown>) {
    const me = await this.api.me(staff.token);
    res.render('staff/account', { section: 'account', me, ...extra });
  }
}
