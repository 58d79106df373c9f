/**
 * What the admin API answers, described for OpenAPI. Each class implements its shape from @nolan/contract,
 * which the portal's admin client reads (docs/architecture.md "The contract"), so the two cannot drift.
 * Nothing here comes from a case: administrators never see case content, not even that a case exists.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AcceptedFileType,
  AdminUser,
  AdminUserPage as ContractAdminUserPage,
  AttachmentLimits,
  ConflictRoute,
  ConflictRoutesView as ContractConflictRoutesView,
  CreatedUser,
  PolicyView as ContractPolicyView,
  RetentionEntry as ContractRetentionEntry,
  RetentionOutcomeView as ContractRetentionOutcomeView,
  RetentionRuleView as ContractRetentionRuleView,
  RetentionSetting,
  RoleHolderPerson as ContractRoleHolderPerson,
  RoleHolders,
  RoleHoldersEntry as ContractRoleHoldersEntry,
  RoutingPreviewEntry as ContractRoutingPreviewEntry,
  SigningKeyView as ContractSigningKeyView,
  SlaClockEntry as ContractSlaClockEntry,
  SlaPolicyView as ContractSlaPolicyView,
  TenantKeys,
  UpdatedUser,
} from '@nolan/contract';
import { STAFF_ROLES } from '@nolan/domain';

export class AdminUserView implements AdminUser {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    enum: STAFF_ROLES,
    isArray: true,
    description: 'Roles asked for: in force or awaiting confirmation',
  })
  roles!: string[];
  @ApiProperty({
    enum: STAFF_ROLES,
    isArray: true,
    description:
      'Roles awaiting confirmation by the monitoring officer (the head of paid service for its post): they give nothing yet',
  })
  awaitingConfirmation!: string[];
  @ApiProperty({ description: 'False once deactivated: cannot sign in, never routed to' }) active!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deactivatedAt!: string | null;
  @ApiProperty({ description: 'Has set up two-factor sign-in' }) twoFactorEnrolled!: boolean;
  @ApiProperty({ description: 'Fingerprint of the key cases are encrypted to for this person' })
  keyFingerprint!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class AdminUserPage implements ContractAdminUserPage {
  @ApiProperty({ type: [AdminUserView] }) items!: AdminUserView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class CreatedUserView implements CreatedUser {
  @ApiProperty({ type: AdminUserView }) user!: AdminUserView;
  @ApiProperty({ description: 'Shown once, never stored readable: hand it over in person or by phone' })
  temporaryPassword!: string;
  @ApiProperty({ type: [String], description: 'What happens next, in sentences' }) notice!: string[];
}

export class UpdatedUserView implements UpdatedUser {
  @ApiProperty({ type: AdminUserView }) user!: AdminUserView;
  @ApiProperty({ type: [String], description: 'What the change did and did not do, in sentences' })
  notice!: string[];
  @ApiProperty({ type: [String], description: 'Routing roles nobody holds now, and other problems' })
  warnings!: string[];
}

export class RoleHolderPerson implements ContractRoleHolderPerson {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

export class RoleHoldersEntry implements ContractRoleHoldersEntry {
  @ApiProperty({ enum: STAFF_ROLES }) role!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: [RoleHolderPerson], description: 'Active holders' }) holders!: RoleHolderPerson[];
  @ApiProperty({ type: [RoleHolderPerson], description: 'Deactivated holders (never routed to)' })
  deactivatedHolders!: RoleHolderPerson[];
  @ApiProperty({ type: String, nullable: true, description: 'Set when nobody active holds the role' })
  warning!: string | null;
}

export class RoleHoldersView implements RoleHolders {
  @ApiProperty({ type: [RoleHoldersEntry] }) roles!: RoleHoldersEntry[];
  @ApiProperty({ type: [String], description: 'Every problem, the empty roles first' }) warnings!: string[];
}

export class ConflictRouteView implements ConflictRoute {
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) leads!: string[];
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) owners!: string[];
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) notify!: string[];
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) excludedWithSubject!: string[];
}

export class RoutingPreviewEntry implements ContractRoutingPreviewEntry {
  @ApiProperty({ enum: STAFF_ROLES, description: 'A concern about the holder of this role…' })
  subject!: string;
  @ApiProperty({ enum: ['routed', 'no_eligible_recipient'] }) kind!: 'routed' | 'no_eligible_recipient';
  @ApiPropertyOptional({ type: RoleHolderPerson, description: '…is overseen by' })
  overseer?: RoleHolderPerson & { role: string };
  @ApiPropertyOptional({ description: '…handled by (people and the role they act in)' })
  owners?: (RoleHolderPerson & { role: string })[];
  @ApiPropertyOptional({ description: '…and these people are told' })
  notify?: (RoleHolderPerson & { role: string })[];
  @ApiPropertyOptional({ description: 'Why it cannot be routed inside the council' }) reason?: string;
}

export class ConflictRoutesView implements ContractConflictRoutesView {
  @ApiProperty() deputyIndependent!: boolean;
  @ApiProperty({ description: 'False while the council uses the defaults' }) customised!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ConflictRouteView' },
    description: 'The routes in force, keyed by the role the concern is about',
  })
  routes!: Record<string, ConflictRouteView>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ConflictRouteView' },
    description: 'The defaults (regulatory.md §3), to compare or restore',
  })
  defaults!: Record<string, ConflictRouteView>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedBy!: string | null;
  @ApiProperty({
    type: [RoutingPreviewEntry],
    description: 'Who would receive a concern about each role today, with the current staff',
  })
  preview!: RoutingPreviewEntry[];
  @ApiPropertyOptional({ type: [String], description: 'After a change: what it does to existing cases' })
  notice?: string[];
}

export class SlaClockEntry implements ContractSlaClockEntry {
  @ApiProperty() category!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['standard', 'safeguarding'] }) clock!: string;
}

export class SlaPolicyView implements ContractSlaPolicyView {
  @ApiProperty() acknowledgementDays!: number;
  @ApiProperty({ enum: ['calendar', 'working'] }) acknowledgementUnit!: string;
  @ApiProperty() acknowledgementReminderDaysBefore!: number;
  @ApiProperty() feedbackMonths!: number;
  @ApiProperty() feedbackReminderDaysBefore!: number;
  @ApiProperty() safeguardingReferralWorkingDays!: number;
  @ApiProperty() ownershipConfirmationWorkingDays!: number;
  @ApiProperty({ type: [String], description: 'The council’s own closure days (YYYY-MM-DD)' })
  extraClosureDays!: string[];
  @ApiProperty() statutoryAcknowledgementDays!: number;
  @ApiProperty({ type: [String], description: 'The clocks in sentences, for the page' }) summary!: string[];
  @ApiProperty({ type: [SlaClockEntry] }) clocks!: SlaClockEntry[];
}

export class RetentionRuleView implements ContractRetentionRuleView {
  @ApiProperty({ type: [String] }) outcomes!: string[];
  @ApiProperty({ type: [String] }) outcomeLabels!: string[];
  @ApiProperty() years!: number;
  @ApiProperty({ description: 'Kept to the end of the calendar year `years` after closure' })
  untilEndOfYear!: boolean;
  @ApiProperty({ description: 'The council’s own period, not the default' }) overridden!: boolean;
  @ApiProperty() summary!: string;
}

export class RetentionOutcomeView implements ContractRetentionOutcomeView {
  @ApiProperty() outcome!: string;
  @ApiProperty() label!: string;
  @ApiProperty() years!: number;
  @ApiProperty() untilEndOfYear!: boolean;
  @ApiProperty({ description: 'The council’s own period, not the default' }) overridden!: boolean;
  @ApiProperty() defaultYears!: number;
  @ApiProperty() defaultUntilEndOfYear!: boolean;
}

export class RetentionEntry implements ContractRetentionEntry {
  @ApiProperty() category!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [RetentionRuleView], description: 'Outcomes with the same period, together' })
  rules!: RetentionRuleView[];
  @ApiProperty({ type: [RetentionOutcomeView], description: 'The period for each outcome' })
  outcomes!: RetentionOutcomeView[];
}

export class RetentionOverrideView implements RetentionSetting {
  @ApiProperty() years!: number;
  @ApiProperty() untilEndOfYear!: boolean;
}

export class AcceptedTypeView implements AcceptedFileType {
  @ApiProperty() mediaType!: string;
  @ApiProperty({ type: [String] }) extensions!: string[];
  @ApiProperty() label!: string;
}

export class AttachmentLimitsView implements AttachmentLimits {
  @ApiProperty() maxFileBytes!: number;
  @ApiProperty() maxFiles!: number;
  @ApiProperty() maxTotalBytes!: number;
  @ApiProperty({ type: [AcceptedTypeView] }) acceptedTypes!: AcceptedTypeView[];
}

export class SigningKeyView implements ContractSigningKeyView {
  @ApiProperty({ description: 'Lower-case hex OpenPGP v4 fingerprint' }) fingerprint!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Where the public key is published' }) publishedAt!: string;
}

export class EscrowKeyView {
  @ApiProperty({ description: 'Lower-case hex OpenPGP v4 fingerprint' }) fingerprint!: string;
}

export class TenantKeysView implements TenantKeys {
  @ApiProperty({ type: SigningKeyView }) signing!: SigningKeyView;
  @ApiProperty({ type: EscrowKeyView }) escrow!: EscrowKeyView;
}

export class PolicyView implements ContractPolicyView {
  @ApiProperty({ type: SlaPolicyView }) sla!: SlaPolicyView;
  @ApiProperty({ type: [RetentionEntry] }) retention!: RetentionEntry[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/RetentionOverrideView' },
    description: 'The council’s overrides, keyed `category` or `category:outcome`; {} for the defaults',
  })
  retentionOverrides!: Record<string, RetentionOverrideView>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) retentionUpdatedAt!: string | null;
  @ApiProperty() retentionNote!: string;
  @ApiProperty({ type: AttachmentLimitsView }) attachments!: AttachmentLimitsView;
  @ApiProperty({ type: TenantKeysView }) keys!: TenantKeysView;
  @ApiPropertyOptional({ type: [String], description: 'After a change: what it does' }) notice?: string[];
}
