import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DRILL_FIGURES } from '@nolan/contract';

/**
 * A period: `from` and `to` (YYYY-MM-DD, inclusive), or `year` (the year a financial year starts), else
 * the current financial year. The service checks the values and names each bad one.
 */
export class PeriodQueryDto {
  @ApiPropertyOptional({ example: '2025-04-01', description: 'First day, inclusive' })
  @IsOptional()
  @IsString({ message: 'from must be a date in the form YYYY-MM-DD.' })
  @MaxLength(10, { message: 'from must be a date in the form YYYY-MM-DD.' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day, inclusive' })
  @IsOptional()
  @IsString({ message: 'to must be a date in the form YYYY-MM-DD.' })
  @MaxLength(10, { message: 'to must be a date in the form YYYY-MM-DD.' })
  to?: string;

  @ApiPropertyOptional({
    example: '2025',
    description: 'A financial year, by the year it starts (2025 is 2025-26)',
  })
  @IsOptional()
  @IsString({ message: 'year must be the year a financial year starts, for example 2025.' })
  @MaxLength(4, { message: 'year must be the year a financial year starts, for example 2025.' })
  year?: string;
}

export class DrillQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: DRILL_FIGURES, description: 'The figure whose cases to list' })
  @IsString({ message: `figure must be one of ${DRILL_FIGURES.join(', ')}.` })
  @MaxLength(40, { message: `figure must be one of ${DRILL_FIGURES.join(', ')}.` })
  figure!: string;

  @ApiPropertyOptional({
    example: 'fraud_theft',
    description: "The figure's row (a category, channel, month…)",
  })
  @IsOptional()
  @IsString({ message: 'key must be a row of the figure, such as fraud_theft or 2025-04.' })
  @MaxLength(40, { message: 'key must be a row of the figure, such as fraud_theft or 2025-04.' })
  key?: string;
}
