import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { STAFF_ROLES } from '@nolan/domain';
import { PageQuery } from '../../common/page-query';

const ROLES_MESSAGE = `roles must each be one of: ${STAFF_ROLES.join(', ')}`;

/** "true"/"false" in a query string; anything else is left for @IsBoolean to refuse with the field's name. */
function queryBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STAFF_ROLES, description: 'Only users holding this role' })
  @IsOptional()
  @IsIn(STAFF_ROLES as readonly string[], { message: `role must be one of: ${STAFF_ROLES.join(', ')}` })
  role?: string;

  @ApiPropertyOptional({ description: 'true: active accounts only; false: deactivated only; absent: both' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class CreateUserDto {
  @ApiProperty({ example: 'jo.bloggs@council.example' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    example: 'Jo Bloggs',
    description: 'Shown to colleagues and, for role holders, on the form',
  })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: STAFF_ROLES, isArray: true, example: ['investigator'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'roles must name at least one role' })
  @ArrayMaxSize(STAFF_ROLES.length)
  @ArrayUnique({ message: 'roles must not repeat a role' })
  @IsIn(STAFF_ROLES as readonly string[], { each: true, message: ROLES_MESSAGE })
  roles!: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: STAFF_ROLES,
    isArray: true,
    description:
      'The complete new set of roles. Existing cases are not re-routed: the person keeps the cases they ' +
      'hold until the monitoring officer transfers them; new cases follow the new roles.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'roles must name at least one role (deactivate the account instead)' })
  @ArrayMaxSize(STAFF_ROLES.length)
  @ArrayUnique({ message: 'roles must not repeat a role' })
  @IsIn(STAFF_ROLES as readonly string[], { each: true, message: ROLES_MESSAGE })
  roles?: string[];

  @ApiPropertyOptional({
    description:
      'false deactivates the account: its sessions end, it cannot sign in and no new case is routed to it. ' +
      'true reactivates it.',
  })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
