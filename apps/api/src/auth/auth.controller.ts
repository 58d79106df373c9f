import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { ChangePasswordDto, ConfirmTotpDto, ExternalKeyDto, SignInDto } from './dto/sign-in.dto';
import type { StaffSession } from './session-store';
import { AllowPasswordChange, AllowTotpEnrolment, CurrentSession, StaffAuthGuard } from './staff-auth.guard';

@ApiTags('staff sessions')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('tenants/:slug/sessions')
  @ApiOperation({
    summary: 'Staff sign-in with e-mail, password and the 6-digit TOTP code',
    description:
      '201 { token, scope, expiresInSeconds, user }. A user without two-factor set up gets scope "totp_enrolment" ' +
      'and may only enrol. Wrong details: 401 with one generic message; after 5 failures, 429 with Retry-After.',
  })
  signIn(@Param('slug') slug: string, @Body() body: SignInDto) {
    return this.auth.signIn(slug, body);
  }

  @Delete('sessions/current')
  @HttpCode(204)
  @UseGuards(StaffAuthGuard)
  @AllowTotpEnrolment()
  @AllowPasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: the session and the unlocked key in it are destroyed' })
  async signOut(@CurrentSession() session: StaffSession): Promise<void> {
    await this.auth.signOut(session);
  }

  @Get('me')
  @UseGuards(StaffAuthGuard)
  @AllowTotpEnrolment()
  @AllowPasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in staff user' })
  me(@CurrentSession() session: StaffSession) {
    return this.auth.me(session);
  }

  @Put('me/password')
  @HttpCode(204)
  @UseGuards(StaffAuthGuard)
  @AllowPasswordChange()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change password; the private key is re-encrypted and other sessions end',
    description:
      'A password-change session (a password handed over by someone else) then becomes a full session, or an ' +
      'enrolment one if two-factor sign-in is not set up.',
  })
  async changePassword(
    @CurrentSession() session: StaffSession,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(session, body.currentPassword, body.newPassword);
  }

  @Post('me/totp')
  @UseGuards(StaffAuthGuard)
  @AllowTotpEnrolment()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start two-factor enrolment: returns the secret and an otpauth:// URL, once' })
  startTotp(@CurrentSession() session: StaffSession) {
    return this.auth.startTotpEnrolment(session);
  }

  @Put('me/totp')
  @HttpCode(204)
  @UseGuards(StaffAuthGuard)
  @AllowTotpEnrolment()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Confirm two-factor enrolment with a current code',
    description:
      'When your password was handed to you, or two-factor sign-in was reset, also give currentPassword and ' +
      'newPassword: enrolment then needs your own new password (issue #15).',
  })
  async confirmTotp(@CurrentSession() session: StaffSession, @Body() body: ConfirmTotpDto): Promise<void> {
    await this.auth.confirmTotpEnrolment(session, body.totp, body);
  }

  @Delete('me/account-notice')
  @HttpCode(204)
  @UseGuards(StaffAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Acknowledge the notice of what was done to your account (a reset, a recovery)' })
  async acknowledgeNotice(@CurrentSession() session: StaffSession): Promise<void> {
    await this.auth.acknowledgeNotice(session);
  }

  @Put('me/openpgp-key')
  @UseGuards(StaffAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register your own OpenPGP public key (e.g. from GnuPG) for case exports' })
  registerKey(@CurrentSession() session: StaffSession, @Body() body: ExternalKeyDto) {
    return this.auth.registerExternalKey(session, body.armoredPublicKey);
  }
}
