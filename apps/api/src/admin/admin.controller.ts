/**
 * The administrators' API (issues #4/#8, #6/#7): users and roles, role holders, conflict routes and the
 * policies in force. Thin: each route is one service call. Only administrators get past the guards, and
 * nothing here touches a case: an administrator never learns what cases exist.
 */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { AdminPolicyService } from './admin-policy.service';
import { AdminReporterBatchService } from './admin-reporter-batch.service';
import { AdminRoutingService } from './admin-routing.service';
import { AdminUsersService } from './admin-users.service';
import { AdministratorGuard } from './administrator.guard';
import {
  AdminUserPage,
  AdminUserView,
  ConflictRoutesView,
  ConflictRouteView,
  CreatedUserView,
  PolicyView,
  RetentionOverrideView,
  RoleHoldersView,
  UpdatedUserView,
} from './dto/admin-responses.dto';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/admin-users.dto';
import { PutConflictRoutesDto } from './dto/conflict-routes.dto';
import { PutReporterBatchDto, ReporterBatchViewDto } from './dto/reporter-batch.dto';
import { PutRetentionDto } from './dto/retention.dto';

const USER_ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'The caller is not an administrator' })
@ApiExtraModels(ConflictRouteView, RetentionOverrideView)
@UseGuards(StaffAuthGuard, AdministratorGuard)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly routing: AdminRoutingService,
    private readonly policies: AdminPolicyService,
    private readonly reporterBatches: AdminReporterBatchService,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'The council’s staff accounts, by name; filter by role and active' })
  @ApiOkResponse({ type: AdminUserPage })
  @ApiBadRequestResponse({ description: 'A filter is not valid (the message names it)' })
  listUsers(@CurrentSession() session: StaffSession, @Query() query: ListUsersQuery) {
    return this.users.list(session, query);
  }

  @Post('users')
  @ApiOperation({
    summary: 'Create a staff account with a temporary password, shown once',
    description:
      'The same provisioning as the operator CLI (user:create): an Argon2id password hash and a key pair ' +
      'locked under the temporary password. The person sets up two-factor sign-in at first sign-in.',
  })
  @ApiCreatedResponse({ type: CreatedUserView })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid, or the roles cannot be combined' })
  @ApiConflictResponse({ description: 'An account with this e-mail address exists' })
  createUser(@CurrentSession() session: StaffSession, @Body() body: CreateUserDto) {
    return this.users.create(session, body);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One staff account' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiNotFoundResponse({ description: 'No such user in this council' })
  getUser(@CurrentSession() session: StaffSession, @Param('id', USER_ID) id: string) {
    return this.users.get(session, id);
  }

  @Patch('users/:id')
  @ApiOperation({
    summary: 'Change a person’s roles, or deactivate or reactivate their account',
    description:
      'Any change ends the person’s sessions (a session carries its roles). Existing cases are NOT ' +
      're-routed: the person keeps the cases they hold until the monitoring officer transfers them; new ' +
      'cases follow the new roles. Deactivating also stops sign-in, routing and assignment to them; their ' +
      'grants stay, so nothing is lost. The answer says what happened and lists routing roles nobody holds.',
  })
  @ApiOkResponse({ type: UpdatedUserView })
  @ApiBadRequestResponse({ description: 'Neither roles nor active given, or a field is invalid' })
  @ApiNotFoundResponse({ description: 'No such user in this council' })
  @ApiConflictResponse({ description: 'The change would leave the council without an active administrator' })
  updateUser(
    @CurrentSession() session: StaffSession,
    @Param('id', USER_ID) id: string,
    @Body() body: UpdateUserDto,
  ) {
    return this.users.update(session, id, body);
  }

  @Post('users/:id/reset-2fa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset a person’s two-factor sign-in (lost phone); they set it up again at their next sign-in',
  })
  @ApiNotFoundResponse({ description: 'No such user in this council' })
  resetTwoFactor(@CurrentSession() session: StaffSession, @Param('id', USER_ID) id: string) {
    return this.users.resetTwoFactor(session, id);
  }

  @Get('role-holders')
  @ApiOperation({
    summary:
      'Who holds each routing role, and warnings for roles nobody holds and concerns that cannot be routed',
  })
  @ApiOkResponse({ type: RoleHoldersView })
  roleHolders(@CurrentSession() session: StaffSession) {
    return this.routing.roleHolders(session);
  }

  @Get('conflict-routes')
  @ApiOperation({
    summary:
      'The council’s conflict routes, the defaults, and who a concern about each role would reach today',
  })
  @ApiOkResponse({ type: ConflictRoutesView })
  conflictRoutes(@CurrentSession() session: StaffSession) {
    return this.routing.conflictRoutes(session);
  }

  @Put('conflict-routes')
  @ApiOperation({
    summary:
      'Set the council’s conflict routes (null for the defaults) and whether the deputy is independent',
    description:
      'Applies to concerns received from now on and to a case whenever it is re-routed; existing cases ' +
      'are not moved. A 400 lists every problem with the routes, each starting with its path.',
  })
  @ApiOkResponse({ type: ConflictRoutesView })
  @ApiBadRequestResponse({ description: 'The routes are not valid; every problem is named' })
  putConflictRoutes(@CurrentSession() session: StaffSession, @Body() body: PutConflictRoutesDto) {
    return this.routing.putConflictRoutes(session, body);
  }

  @Get('policy')
  @ApiOperation({
    summary:
      'The policies in force: SLA clocks, retention periods (the council’s schedule), attachment limits, key fingerprints',
  })
  @ApiOkResponse({ type: PolicyView })
  policy(@CurrentSession() session: StaffSession) {
    return this.policies.policy(session);
  }

  @Put('retention')
  @ApiOperation({
    summary: 'Set the council’s retention schedule: overrides by category or category and outcome',
    description:
      'Replaces the whole set of overrides ({} restores the defaults). Each period is a whole number of ' +
      'years from 1 to 100, optionally to the end of that calendar year. Applies to every closed case from ' +
      'the next nightly sweep; a legal hold still stops destruction. A 400 names every problem by its path.',
  })
  @ApiOkResponse({ type: PolicyView })
  @ApiBadRequestResponse({ description: 'An override is not valid; every problem is named' })
  putRetention(@CurrentSession() session: StaffSession, @Body() body: PutRetentionDto) {
    return this.policies.putRetention(session, body.overrides);
  }

  @Get('reporter-batch')
  @ApiOperation({
    summary: 'The council’s reporter batch: how long what a reporter causes waits (docs: "Reporter time")',
  })
  @ApiOkResponse({ type: ReporterBatchViewDto })
  reporterBatch(@CurrentSession() session: StaffSession) {
    return this.reporterBatches.get(session);
  }

  @Put('reporter-batch')
  @ApiOperation({
    summary: 'Choose the council’s reporter batch (60 minutes by default; 30, 20 or 15 knowingly)',
    description:
      'A shorter batch tells handlers sooner but places reporters within that many minutes: ' +
      'acceptShorterBatchCost must be true for anything under 60. Audited as a configuration change.',
  })
  @ApiOkResponse({ type: ReporterBatchViewDto })
  @ApiBadRequestResponse({
    description: 'Not one of the choices, or a shorter batch without accepting its cost',
  })
  putReporterBatch(@CurrentSession() session: StaffSession, @Body() body: PutReporterBatchDto) {
    return this.reporterBatches.put(session, body);
  }
}
