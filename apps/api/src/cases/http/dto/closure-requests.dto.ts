import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_OUTCOMES } from '@nolan/domain';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** POST /cases/:reference/closure-requests: a handler asks the overseer to agree to a closing. */
export class RequestClosureDto {
  @ApiProperty({ enum: CASE_OUTCOMES, description: 'The outcome the case would close with' })
  @IsIn(CASE_OUTCOMES as readonly string[], {
    message: `outcome must be one of: ${CASE_OUTCOMES.join(', ')}`,
  })
  outcome!: string;

  @ApiProperty({ maxLength: 2000, description: 'Why (kept encrypted, for the case record)' })
  @IsString({ message: 'reason is required' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000, { message: 'reason must be 2000 characters or fewer' })
  reason!: string;
}

/** POST /cases/:reference/closure-requests/:id/decision: the overseer's answer. */
export class DecideClosureDto {
  @ApiProperty({ description: 'true agrees to the closing; false refuses it' })
  @IsBoolean({ message: 'agree must be true or false' })
  agree!: boolean;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why (kept encrypted, for the case record)' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(2000, { message: 'reason must be 2000 characters or fewer' })
  reason?: string;
}
