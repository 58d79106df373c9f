import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLE_HOLDER_ROLES } from '@nolan/domain';
import { CASE_LINK_KINDS } from '../../commands/links.service';

/** POST /cases/:reference/links: link this case to another the caller also holds. */
export class LinkCaseDto {
  @ApiProperty({ description: 'The reference of the other case', example: 'NLN-7KQ2-M9XD' })
  @IsString({ message: 'reference must be a case reference' })
  @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'reference must be a case reference' })
  reference!: string;

  @ApiProperty({
    enum: CASE_LINK_KINDS,
    description: 'same_subject: the same person or body; same_pattern: the same kind of wrongdoing',
  })
  @IsIn(CASE_LINK_KINDS as readonly string[], {
    message: `kind must be one of: ${CASE_LINK_KINDS.join(', ')}`,
  })
  kind!: (typeof CASE_LINK_KINDS)[number];

  @ApiProperty({
    maxLength: 2000,
    description: 'Why the cases are related (kept encrypted to each case; never shown to a reporter)',
  })
  @IsString({ message: 'note must be text' })
  @MinLength(1, { message: 'note is required' })
  @MaxLength(2000, { message: 'note must be 2000 characters or fewer' })
  note!: string;
}

/** POST /cases/:reference/involved: a handler names a person (userId) or a role (role) as involved. */
export class NameInvolvedDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The staff user the concern involves' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a staff user id (a UUID)' })
  userId?: string;

  @ApiPropertyOptional({
    enum: ROLE_HOLDER_ROLES,
    description: 'A statutory role the concern involves: everyone holding it is named',
  })
  @IsOptional()
  @IsIn(ROLE_HOLDER_ROLES as readonly string[], {
    message: `role must be one of: ${ROLE_HOLDER_ROLES.join(', ')}`,
  })
  role?: string;

  @ApiProperty({ maxLength: 2000, description: 'Why (kept encrypted, for the case record)' })
  @IsString({ message: 'reason is required' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000, { message: 'reason must be 2000 characters or fewer' })
  reason!: string;
}

/** POST /cases/:reference/involved/requests/:id/decision: the confirmer confirms or rejects a naming. */
export class DecideNamingDto {
  @ApiProperty({ description: 'true confirms the naming (it takes effect at once); false rejects it' })
  @IsBoolean({ message: 'confirm must be true or false' })
  confirm!: boolean;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why (kept encrypted, for the case record)' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(2000, { message: 'reason must be 2000 characters or fewer' })
  reason?: string;
}

/** POST /reporter/case/involved: the reporter names people from the form's list, by role. */
export class ReporterNameInvolvedDto {
  @ApiProperty({
    type: [String],
    enum: ROLE_HOLDER_ROLES,
    description: 'Roles from the form’s "Does your concern involve any of these people?" list',
  })
  @IsArray({ message: 'roles must be a list of roles from the form' })
  @ArrayMinSize(1, { message: 'choose at least one person (roles)' })
  @ArrayMaxSize(ROLE_HOLDER_ROLES.length)
  @IsIn(ROLE_HOLDER_ROLES as readonly string[], {
    each: true,
    message: `each of roles must be one of: ${ROLE_HOLDER_ROLES.join(', ')}`,
  })
  roles!: string[];

  @ApiPropertyOptional({ maxLength: 2000, description: 'Anything you want the handlers to know' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(2000, { message: 'reason must be 2000 characters or fewer' })
  reason?: string;
}
