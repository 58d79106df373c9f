import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { AssignService } from '../commands/assign.service';
import { ConfirmOwnershipService } from '../commands/confirm-ownership.service';
import { IdentityCustodyService } from '../commands/identity-custody.service';
import { LegalHoldService } from '../commands/legal-hold.service';

export class AssignmentDto {
  @ApiProperty({ format: 'uuid', description: 'The staff user (a handler) to assign the case to' })
  @IsUUID('all', { message: 'assigneeId must be a staff user id (a UUID)' })
  assigneeId!: string;
}

export class CustodyDto {
  @ApiProperty({
    description: "The council's escrow recovery passphrase (shown once when the council was set up)",
  })
  @IsString({ message: 'recoveryPassphrase is required' })
  @MinLength(1, { message: 'recoveryPassphrase is required' })
  @MaxLength(500)
  recoveryPassphrase!: string;
}

export class LegalHoldDto {
  @ApiProperty({ maxLength: 2000, description: 'Why (kept encrypted, for the case record)' })
  @IsString({ message: 'reason is required' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000)
  reason!: string;
}

/**
 * Assignment, ownership, legal hold and identity custody on a case (issues #6, #7): what the overseer does. A separate controller on the same
 * `cases` path as CasesController, so the two can grow apart; thin, like every controller here.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class AssignmentController {
  constructor(
    private readonly assignment: AssignService,
    private readonly ownership: ConfirmOwnershipService,
    private readonly hold: LegalHoldService,
    private readonly custody: IdentityCustodyService,
  ) {}

  @Post(':reference/assignment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign the case to a handler, or transfer it from its current assignee (overseer only)',
    description:
      'Grants the assignee the report and internal scopes; on transfer the previous assignee loses access unless routing itself gives them the case. 403 if you do not oversee the case; 409 if the person is conflicted; 400 if they are not a handler.',
  })
  assign(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: AssignmentDto,
  ) {
    return this.assignment.assign(staff, reference, body.assigneeId);
  }

  @Post(':reference/ownership')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The assignee confirms they own the case, which stops the "confirm ownership" clock',
  })
  confirmOwnership(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.ownership.confirmOwnership(staff, reference);
  }

  @Post(':reference/legal-hold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put the case on legal hold, with a reason: retention will not destroy it' })
  setLegalHold(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: LegalHoldDto,
  ) {
    return this.hold.legalHold(staff, reference, true, body.reason);
  }

  @Delete(':reference/legal-hold')
  @ApiOperation({ summary: 'Clear the legal hold, with a reason (sent as a JSON body)' })
  clearLegalHold(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: LegalHoldDto,
  ) {
    return this.hold.legalHold(staff, reference, false, body.reason);
  }

  @Post(':reference/identity/custody')
  @HttpCode(200)
  @ApiOperation({
    summary: "The overseer takes custody of the reporter's identity from the escrow key (overseer only)",
    description:
      'For an overseer a re-routing could not give the identity scope (its author never held it): the escrow key, unlocked with the recovery passphrase, grants it, and any other scope routing names someone for. 400 for a wrong passphrase; 403 if you do not oversee the case; 409 if you already hold the identity.',
  })
  takeCustody(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: CustodyDto,
  ) {
    return this.custody.takeCustody(staff, reference, body.recoveryPassphrase);
  }
}
