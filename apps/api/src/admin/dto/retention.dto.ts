import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class PutRetentionDto {
  @ApiProperty({
    description:
      'Keyed `category` or `category:outcome` (the more specific wins); each { years: 1..100, untilEndOfYear }. ' +
      'Checked by validateRetentionPolicy (libs/domain): a 400 names every problem. {} restores the defaults.',
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { years: { type: 'integer', minimum: 1, maximum: 100 }, untilEndOfYear: { type: 'boolean' } },
      required: ['years', 'untilEndOfYear'],
    },
    example: {
      gifts_hospitality: { years: 3, untilEndOfYear: false },
      'fraud_theft:not_substantiated': { years: 2, untilEndOfYear: true },
    },
  })
  @IsObject({ message: 'overrides must be an object keyed by category or category:outcome' })
  overrides!: Record<string, unknown>;
}
