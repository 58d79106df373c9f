import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional } from 'class-validator';
import type { ReporterBatchView } from '../admin-reporter-batch.service';

export class PutReporterBatchDto {
  @ApiProperty({
    enum: [15, 20, 30, 60],
    description: 'The batch in minutes (60 by default; 15 at the least)',
  })
  @IsInt({ message: 'minutes must be one of 15, 20, 30, 60' })
  minutes!: number;

  @ApiPropertyOptional({
    description: 'Required (true) for a batch shorter than 60 minutes: the administrator accepts its cost',
  })
  @IsOptional()
  @IsBoolean({ message: 'acceptShorterBatchCost must be true or false' })
  acceptShorterBatchCost?: boolean;
}

export class ReporterBatchViewDto implements ReporterBatchView {
  @ApiProperty() minutes!: number;
  @ApiProperty({ type: [Number] }) choices!: number[];
  @ApiProperty() defaultMinutes!: number;
  @ApiProperty({ description: 'What a shorter batch costs, in words for the administrator' }) cost!: string;
}
