/**
 * Staff sign-in, two-factor set-up and sign-out (issue #8 "sign-in with two-factor").
 *
 * Sign-in is two pages, as staff expect: council, email and password, then the code from the
 * authenticator app. The API checks all three in one call (so a wrong password is not revealed before
 * the code, and a missing code is a failed attempt), so the first page's answers travel to the second
 * sealed (AES-GCM under the portal secret, 5 minutes, purpose 'staff-sign-in') in a hidden field: never
 * stored, never in a cookie, unreadable in the page. A user without two-factor sign-in yet continues
 * without a code; the API then gives an enrolment-only session, which may only set it up.
 */
import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { StaffApi } from '../api/staff-api';
import { Sealer } from '../common/sealed';
import { formErrors } from './form-errors';
import { CurrentStaff, EnrolmentAllowed, isHandler, isOverseer, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import { type StaffSession, StaffSessions } from './staff-session';

const SIGN_IN_STATE_SECONDS = 5 * 60;
const COUNCIL = /^[a-z0-9][a-z0-9-]{0,62}$/;

interface SignInState {
  council: string;
  email: string;
  password: string;
}

type Form = Record<string, string | undefined>;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

@Controller('staff')
@UseFilters(StaffPageFilter)
export class StaffAuthController {
  constructor(
    private readonly api: StaffApi,
    private readonly sealer: Sealer,
    private readonly sessions: StaffSessions,
  ) {}

  /** Where a signed-in user starts: the monitoring officer's home, the case list, or the administrators' home. */
  @Get()
  @UseGuards(StaffGuard)
  @EnrolmentAllowed()
  async home(@CurrentStaff() staff: StaffSession, @Res() res: Response): Promise<void> {
    if (staff.scope !== 'full') return res.redirect(303, '/staff/two-factor');
    // Something was done to the account behind the person's back (issue #15): they read it first.
    if ((await this.api.me(staff.token)).accountNotice) return res.redirect(303, '/staff/account-notice');
    if (isOverseer(staff)) return res.redirect(303, '/staff/home');
    if (isHandler(staff)) return res.redirect(303, '/staff/cases');
    if (staff.roles.includes('audit_committee_chair')) return res.redirect(303, '/staff/committee');
    res.redirect(303, '/staff/admin');
  }

  @Get('sign-in')
  signInPage(@Req() req: Request, @Res() res: Response, @Query('council') council?: string, @Query('signedOut') signedOut?: string): void {
    if (this.sessions.read(req)) return res.redirect(303, '/staff');
    const notice =
      signedOut === 'expired' ? 'Your session has ended, so you need to sign in again.' : undefined;
    res.render('staff/sign-in', { values: { council: text(council) }, notice });
  }

  @Post('sign-in')
  async signIn(@Body() body: Form, @Res() res: Response): Promise<void> {
    const values = { council: text(body.council).toLowerCase(), email: text(body.email) };
    const password = typeof body.password === 'string' ? body.password : '';
    const problems: { id: string; text: string }[] = [];
    if (!values.council) problems.push({ id: 'council', text: 'Enter your council’s short name' });
    else if (!COUNCIL.test(values.council))
      problems.push({ id: 'council', text: 'Enter the council’s short name using only letters, numbers and hyphens' });
    if (!values.email) problems.push({ id: 'email', text: 'Enter your email address' });
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email) || values.email.length > 254)
      problems.push({ id: 'email', text: 'Enter an email address in the correct format, like name@example.org' });
    if (!password) problems.push({ id: 'password', text: 'Enter your password' });
    else if (password.length > 256) problems.push({ id: 'password', text: 'Password must be 256 characters or fewer' });
    if (!problems.length && !(await this.councilExists(values.council)))
      problems.push({ id: 'council', text: 'There is no council with this short name in Nolan' });
    if (problems.length) {
      res.status(400).render('staff/sign-in', { values, errors: formErrors(problems) });
      return;
    }
    const state = this.sealer.seal('staff-sign-in', { ...values, password } satisfies SignInState, SIGN_IN_STATE_SECONDS);
    res.render('staff/sign-in-code', { state, values: {} });
  }

  @Post('sign-in/code')
  async signInCode(@Body() body: Form, @Res() res: Response): Promise<void> {
    const state = this.sealer.open<SignInState>('staff-sign-in', body.state);
    if (!state) {
      // Too slow (or not from us): start again, with the council remembered.
      res.status(400).render('staff/sign-in', {
        values: {},
        notice: 'You took longer than 5 minutes, so you need to enter your details again.',
      });
      return;
    }
    const code = text(body.code).replace(/\s+/g, '');
    const withoutCode = body.action === 'enrol';
    const again = (message: string, status = 400) =>
      res.status(status).render('staff/sign-in-code', {
        state: body.state,
        values: { code },
        errors: formErrors([{ id: 'code', text: message }]),
      });
    if (!withoutCode && !code) return again('Enter the 6-digit code from your authenticator app');
    if (!withoutCode && !/^\d{6}$/.test(code)) return again('The code must be 6 digits, like 123456');
    try {
      const signedIn = await this.api.signIn(state.council, {
        email: state.email,
        password: state.password,
        totp: withoutCode ? undefined : code,
      });
      this.sessions.start(res, {
        token: signedIn.token,
        council: state.council,
        userId: signedIn.user.id,
        name: signedIn.user.name,
        email: signedIn.user.email,
        roles: signedIn.user.roles,
        scope: signedIn.scope,
        idleSeconds: signedIn.expiresInSeconds,
      });
      res.redirect(303, signedIn.scope === 'full' ? '/staff' : '/staff/two-factor');
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      if (error.status === 429) {
        const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 900) / 60));
        return again(`Too many attempts to sign in. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`, 429);
      }
      if (error.status === 401) {
        return again(
          withoutCode
            ? 'You need the code from your authenticator app: two-factor sign-in is already set up for you, or your email address or password is not right'
            : 'The code, or your email address or password, is not right. Check the code, or start again',
          401,
        );
      }
      throw error;
    }
  }

  /** First-time two-factor set-up: a new key, shown as text (no QR code: nothing third-party is drawn). */
  @Get('two-factor')
  @UseGuards(StaffGuard)
  @EnrolmentAllowed()
  async twoFactorPage(@CurrentStaff() staff: StaffSession, @Res() res: Response): Promise<void> {
    if (staff.scope === 'full') return res.redirect(303, '/staff');
    if (staff.scope === 'password_change') return res.render('staff/new-password', { values: {} });
    const [{ secret, otpauthUrl }, me] = await Promise.all([this.api.startTotp(staff.token), this.api.me(staff.token)]);
    this.renderTwoFactor(res, { secret, otpauthUrl, choosePassword: me.passwordMustChange }, {});
  }

  /**
   * A password someone else handed over (issue #15): the person chooses their own before anything else;
   * the API then makes the session a full one (or an enrolment one).
   */
  @Post('new-password')
  @UseGuards(StaffGuard)
  @EnrolmentAllowed()
  async newPassword(@CurrentStaff() staff: StaffSession, @Body() body: Form, @Res() res: Response): Promise<void> {
    if (staff.scope !== 'password_change') return res.redirect(303, '/staff');
    const values = { currentPassword: '', newPassword: '', confirmPassword: '' };
    const problems = passwordProblems(body);
    if (!problems.length) {
      try {
        await this.api.changePassword(staff.token, String(body.currentPassword), String(body.newPassword));
        const me = await this.api.me(staff.token);
        this.sessions.start(res, { ...staff, scope: me.sessionScope });
        return res.redirect(303, me.sessionScope === 'full' ? '/staff' : '/staff/two-factor');
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
        problems.push(...apiPasswordProblems(error.messages));
      }
    }
    res.status(400).render('staff/new-password', { values, errors: formErrors(problems) });
  }

  @Post('two-factor')
  @UseGuards(StaffGuard)
  @EnrolmentAllowed()
  async twoFactor(@CurrentStaff() staff: StaffSession, @Body() body: Form, @Res() res: Response): Promise<void> {
    const enrolment = this.sealer.open<{ secret: string; otpauthUrl: string; choosePassword?: boolean }>(
      'staff-sign-in',
      body.state,
    );
    if (!enrolment) return res.redirect(303, '/staff/two-factor');
    const code = text(body.code).replace(/\s+/g, '');
    const problem = !code
      ? 'Enter the 6-digit code from your authenticator app'
      : !/^\d{6}$/.test(code)
        ? 'The code must be 6 digits, like 123456'
        : undefined;
    if (problem) return this.renderTwoFactor(res, enrolment, { code }, problem);
    if (enrolment.choosePassword) {
      const problems = passwordProblems(body);
      if (problems.length) return this.renderTwoFactor(res, enrolment, { code }, undefined, problems);
    }
    try {
      await this.api.confirmTotp(
        staff.token,
        code,
        enrolment.choosePassword
          ? { currentPassword: String(body.currentPassword), newPassword: String(body.newPassword) }
          : undefined,
      );
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 400) {
        const problems = apiPasswordProblems(error.messages);
        if (problems.length) return this.renderTwoFactor(res, enrolment, { code }, undefined, problems);
        return this.renderTwoFactor(res, enrolment, { code }, 'That code is not right: enter the code the app shows now');
      }
      throw error;
    }
    // The API upgraded the session; the cookie says so too (a new cookie, so a new CSRF binding).
    this.sessions.start(res, { ...staff, scope: 'full' });
    res.redirect(303, '/staff');
  }

  /** What was done to the account (a two-factor reset, a recovery), and whom to tell if it was not them. */
  @Get('account-notice')
  @UseGuards(StaffGuard)
  async accountNotice(@CurrentStaff() staff: StaffSession, @Res() res: Response): Promise<void> {
    const notice = (await this.api.me(staff.token)).accountNotice;
    if (!notice) return res.redirect(303, '/staff');
    res.render('staff/account-notice', { message: notice.message });
  }

  @Post('account-notice')
  @UseGuards(StaffGuard)
  async acknowledgeNotice(@CurrentStaff() staff: StaffSession, @Res() res: Response): Promise<void> {
    await this.api.acknowledgeAccountNotice(staff.token);
    res.redirect(303, '/staff');
  }

  /** Signing out ends the API session (destroying the unlocked key) and deletes the cookie. */
  @Get('sign-out')
  async signOut(
    @Req() req: Request,
    @Res() res: Response,
    @Query('timeout') timeout?: string,
  ): Promise<void> {
    const session = this.sessions.read(req);
    if (session) {
      try {
        await this.api.signOut(session.token);
      } catch (error) {
        // Already gone (timed out): there is nothing left to end.
        if (!(error instanceof ApiProblem && error.status === 401)) throw error;
      }
    }
    this.sessions.clear(res);
    res.render('staff/signed-out', {
      timedOut: timeout === '1',
      idleMinutes: Math.round((session?.idleSeconds ?? 1800) / 60),
    });
  }

  /** The timeout warning's "Stay signed in": touches the API session (and, through the guard, the cookie). */
  @Get('keep-alive')
  @UseGuards(StaffGuard)
  @EnrolmentAllowed()
  async keepAlive(@CurrentStaff() staff: StaffSession, @Res() res: Response): Promise<void> {
    await this.api.me(staff.token);
    res.status(204).end();
  }

  private renderTwoFactor(
    res: Response,
    enrolment: { secret: string; otpauthUrl: string; choosePassword?: boolean },
    values: { code?: string },
    problem?: string,
    passwordProblemsFound: { id: string; text: string }[] = [],
  ): void {
    const problems = [...passwordProblemsFound, ...(problem ? [{ id: 'code', text: problem }] : [])];
    res.status(problems.length ? 400 : 200).render('staff/two-factor', {
      secretGroups: enrolment.secret.match(/.{1,4}/g)?.join(' ') ?? enrolment.secret,
      otpauthUrl: enrolment.otpauthUrl,
      state: this.sealer.seal('staff-sign-in', enrolment, 15 * 60),
      choosePassword: enrolment.choosePassword === true,
      values,
      errors: problems.length ? formErrors(problems) : undefined,
    });
  }

  private async councilExists(council: string): Promise<boolean> {
    try {
      await this.api.councilForm(council);
      return true;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) return false;
      throw error;
    }
  }
}

/** The person's own new password, twice, and the one they signed in with. */
function passwordProblems(body: Form): { id: string; text: string }[] {
  const current = text(body.currentPassword);
  const next = typeof body.newPassword === 'string' ? body.newPassword : '';
  const problems: { id: string; text: string }[] = [];
  if (!current) problems.push({ id: 'currentPassword', text: 'Enter the password you signed in with' });
  if (next.length < 12) problems.push({ id: 'newPassword', text: 'Your new password must be at least 12 characters' });
  else if (next.length > 256) problems.push({ id: 'newPassword', text: 'Your new password must be 256 characters or fewer' });
  else if (next !== body.confirmPassword) problems.push({ id: 'confirmPassword', text: 'The passwords do not match' });
  return problems;
}

/** The API's answers about the passwords, on their fields. */
function apiPasswordProblems(messages: readonly string[]): { id: string; text: string }[] {
  return messages.flatMap((m) =>
    m.startsWith('currentPassword')
      ? [{ id: 'currentPassword', text: 'The password you signed in with is not right' }]
      : m.startsWith('newPassword')
        ? [{ id: 'newPassword', text: 'Choose a new password of at least 12 characters, different from the one you signed in with' }]
        : [],
  );
}
