import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsObject, ValidateIf } from 'class-validator';

const ROUTES_DESCRIPTION =
  'Keyed by the role the concern is about; each route has leads (who oversees instead, in order of ' +
  'preference), owners (who also handles), notify (who is told) and excludedWithSubject (who is left out ' +
  'with the subject). null restores the defaults of regulatory.md §3. Checked by validateConflictRoutes ' +
  '(libs/domain): a 400 names every problem.';

export class PutConflictRoutesDto {
  @ApiProperty({
    description:
      'Whether the deputy monitoring officer is independent of the monitoring officer (does not report to ' +
      'them). Only then may the deputy act on a concern about the monitoring officer.',
  })
  @IsBoolean({ message: 'deputyIndependent must be true or false' })
  deputyIndependent!: boolean;

  @ApiProperty({
    description: ROUTES_DESCRIPTION,
    nullable: true,
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: {
        leads: { type: 'array', items: { type: 'string' } },
        owners: { type: 'array', items: { type: 'string' } },
        notify: { type: 'array', items: { type: 'string' } },
        excludedWithSubject: { type: 'array', items: { type: 'string' } },
      },
    },
    example: {
      monitoring_officer: {
        leads: ['head_of_paid_service', 's151_officer'],
        owners: ['deputy_monitoring_officer'],
        notify: ['audit_committee_chair'],
        excludedWithSubject: ['deputy_monitoring_officer'],
      },
      head_of_paid_service: {
        leads: ['monitoring_officer'],
        owners: ['s151_officer'],
        notify: ['audit_committee_chair'],
        excludedWithSubject: [],
      },
      s151_officer: {
        leads: ['monitoring_officer'],
        owners: ['head_of_paid_service'],
        notify: [],
        excludedWithSubject: [],
      },
    },
  })
  @ValidateIf((body: PutConflictRoutesDto) => body.routes !== null)
  @IsObject({
    message: 'routes must be an object keyed by the role the concern is about, or null for the defaults',
  })
  routes!: Record<string, unknown> | null;
}
