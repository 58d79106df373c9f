import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RECOMMENDATION_STATUSES, type RecommendationStatus } from '@nolan/domain';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The shape only; what makes a recommendation complete is libs/domain recommendationProblems. */
export class RecommendationDto {
  @ApiProperty({ maxLength: 5000, description: 'What should be done (internal scope: encrypted)' })
  @IsString({ message: 'text must be text' })
  @MaxLength(5000)
  text!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A named owner: a member of staff who holds the case (reminded before the due date)',
  })
  @IsOptional()
  @IsString({ message: 'ownerId must be text' })
  ownerId?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Or a free-text owner, such as a service area (encrypted)',
  })
  @IsOptional()
  @IsString({ message: 'owner must be text' })
  @MaxLength(200)
  owner?: string;

  @ApiProperty({ format: 'date', description: 'When it is due, YYYY-MM-DD' })
  @IsString({ message: 'dueOn must be a date written YYYY-MM-DD' })
  dueOn!: string;
}

export class RecommendationStatusDto {
  @ApiProperty({ enum: RECOMMENDATION_STATUSES })
  @IsString({ message: `status must be one of: ${RECOMMENDATION_STATUSES.join(', ')}` })
  status!: RecommendationStatus;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Why it was rejected (needed to reject; encrypted)' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(5000)
  reason?: string;
}
