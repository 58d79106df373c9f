import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CASE_STATUSES, CATEGORY_IDS } from '@nolan/domain';
import { CASE_LIST_CURSOR } from '../../reads/case-list-cursor';

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES as readonly string[], { message: `status must be one of: ${CASE_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ enum: CATEGORY_IDS })
  @IsOptional()
  @IsIn(CATEGORY_IDS as readonly string[], { message: 'category must be one of the categories in the form' })
  category?: string;

  @ApiPropertyOptional({ enum: ['me'], description: 'Only cases assigned to the caller' })
  @IsOptional()
  @IsIn(['me'], { message: 'assignee must be "me"' })
  assignee?: 'me';

  @ApiPropertyOptional({
    enum: ['overdue', 'due_soon'],
    description:
      "Only cases with a statutory clock overdue, or due soon or overdue, under the council's SLA policy (libs/domain slaClocks)",
  })
  @IsOptional()
  @IsIn(['overdue', 'due_soon'], { message: 'deadline must be overdue or due_soon' })
  deadline?: 'overdue' | 'due_soon';

  @ApiPropertyOptional({ format: 'uuid', description: 'Only cases assigned to this staff user' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a staff user id (a UUID)' })
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'true: only cases nobody is assigned yet' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unassigned must be true or false' })
  unassigned?: boolean;

  @ApiPropertyOptional({
    description:
      'Words to find in the metadata, never the content: the start of a reference, or a word of the category, the status or the assignee’s name',
    example: 'NLN-7KQ2',
  })
  @IsOptional()
  @Matches(/^[\p{L}\p{N} '’.-]{1,60}$/u, {
    message: 'q must be up to 60 letters, numbers, spaces, hyphens or apostrophes',
  })
  q?: string;

  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 25;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;

  @ApiPropertyOptional({
    description:
      "The cases after this one in the list's order: the `next` of the page before (its last case's acknowledgement due date and reference). A deep page costs what the first costs; `offset` counts on from it.",
    example: '2026-12-07_NLN-7KQ2-0ABC',
  })
  @IsOptional()
  @Matches(CASE_LIST_CURSOR, { message: 'after must be the next of a page of the case list' })
  after?: string;
}

export class AuditPageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

export class MessageDto {
  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1, { message: 'text is required' })
  @MaxLength(20000)
  text!: string;
}

export class RecusalDto {
  @ApiProperty({
    maxLength: 2000,
    description: 'Why you are conflicted (kept encrypted, for the case record)',
  })
  @IsString()
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000)
  reason!: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 2000, description: 'Why (kept encrypted, for the case record)' })
  @IsString()
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000)
  reason!: string;
}

export class IdentityDecisionDto extends ReasonDto {
  @ApiProperty()
  @IsBoolean({ message: 'approve must be true or false' })
  approve!: boolean;
}
