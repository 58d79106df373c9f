import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RoleLeadChange, RoleRequestDecision } from '@nolan/contract';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { STAFF_ROLES } from '@nolan/domain';

export class RoleRequestDecisionDto implements RoleRequestDecision {
  @ApiProperty({ enum: ['confirm', 'refuse'] })
  @IsIn(['confirm', 'refuse'], { message: 'decision must be confirm or refuse' })
  decision!: 'confirm' | 'refuse';

  @ApiPropertyOptional({
    description: 'On confirming: make the person the lead holder of each role confirmed',
  })
  @IsOptional()
  @IsBoolean({ message: 'lead must be true or false' })
  lead?: boolean;

  @ApiPropertyOptional({
    type: [String],
    enum: STAFF_ROLES,
    description:
      'The roles you saw requested: the request is decided as a whole, and if it has changed since, nothing is decided (409)',
  })
  @IsOptional()
  @IsArray({ message: 'roles must be a list of roles' })
  @ArrayMaxSize(STAFF_ROLES.length, { message: 'roles lists each role at most once' })
  @IsIn(STAFF_ROLES, { each: true, message: 'roles must be chosen from the staff roles' })
  roles?: string[];
}

export class RoleLeadDto implements RoleLeadChange {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be a staff user id' })
  userId!: string;
}

/** PUT /oversight/fallback-overseer: the role whose holder oversees a case every oversight role is involved in. */
export class FallbackOverseerDto {
  @ApiProperty({ description: 'A staff role other than administrator, e.g. audit_committee_chair' })
  @IsString({ message: 'role must be a staff role' })
  role!: string;
}
