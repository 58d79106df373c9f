import { DataSource } from 'typeorm';
import { AuditCheckpointEntity } from '../audit/audit-checkpoint.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import {
  CaseEntity,
  CaseExclusionEntity,
  CaseGrantEntity,
  CaseItemEntity,
  CaseScopeKeyEntity,
  ReporterKeyEntity,
} from '../cases/store/case.entity';
import { CaseLinkEntity } from '../cases/store/case-link.entity';
import { RecommendationEntity } from '../cases/store/recommendation.entity';
import { IdentityRequestEntity } from '../cases/store/identity-request.entity';
import { ClosureRequestEntity, NamingRequestEntity } from '../cases/store/oversight-request.entity';
import { OutboxEntity } from '../outbox/outbox.entity';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { TenantSigningKeyEntity } from '../tenants/tenant-signing-key.entity';
import { TenantRetentionSettingsEntity } from '../tenants/tenant-retention-settings.entity';
import { TenantRoutingSettingsEntity } from '../tenants/tenant-routing-settings.entity';
import { Foundation1763900000000 } from './migrations/1763900000000-foundation';
import { AuditTrail1763900100000 } from './migrations/1763900100000-audit-trail';
import { StaffSignIn1763900200000 } from './migrations/1763900200000-staff-sign-in';
import { CaseStore1763900300000 } from './migrations/1763900300000-case-store';
import { Intake1763900400000 } from './migrations/1763900400000-intake';
import { Transitions1763900500000 } from './migrations/1763900500000-transitions';
import { CaseExclusions1763900600000 } from './migrations/1763900600000-case-exclusions';
import { IdentityRequests1763900700000 } from './migrations/1763900700000-identity-requests';
import { Notifications1763900800000 } from './migrations/1763900800000-notifications';
import { SlaEvents1763900900000 } from './migrations/1763900900000-sla-events';
import { Retention1763901000000 } from './migrations/1763901000000-retention';
import { TenantSigningKeys1763901400000 } from './migrations/1763901400000-tenant-signing-keys';
import { CaseLinks1763901200000 } from './migrations/1763901200000-case-links';
import { Assignment1763901100000 } from './migrations/1763901100000-assignment';
import { Feedback1763901300000 } from './migrations/1763901300000-feedback';
import { AdminSettings1763901500000 } from './migrations/1763901500000-admin-settings';
import { ReopenedOn1763901600000 } from './migrations/1763901600000-reopened-on';
import { AuditItemIds1763902100000 } from './migrations/1763902100000-audit-item-ids';
import { RetentionSettings1763901700000 } from './migrations/1763901700000-retention-settings';
import { DashboardIndexes1763901800000 } from './migrations/1763901800000-dashboard-indexes';
import { SlaSettings1763901900000 } from './migrations/1763901900000-sla-settings';
import { CaseReads1763902000000 } from './migrations/1763902000000-case-reads';
import { RoleConfirmation1763903100000 } from './migrations/1763903100000-role-confirmation';
import { CredentialHandover1763903200000 } from './migrations/1763903200000-credential-handover';
import { AuditCheckpointSignatures1763903300000 } from './migrations/1763903300000-audit-checkpoint-signatures';
import { ReporterTime1763903400000 } from './migrations/1763903400000-reporter-time';
import { OutboxPendingTenants1763903500000 } from './migrations/1763903500000-outbox-pending-tenants';
import { ReceiptReplacement1763903600000 } from './migrations/1763903600000-receipt-replacement';
import { ReporterVisibility1763903700000 } from './migrations/1763903700000-reporter-visibility';
import { DuplicateLinks1763903800000 } from './migrations/1763903800000-duplicate-links';
import { CaseItemSignatures1763904000000 } from './migrations/1763904000000-case-item-signatures';
import { SigningKeyHour1763904100000 } from './migrations/1763904100000-signing-key-hour';
import { Recommendations1763904200000 } from './migrations/1763904200000-recommendations';
import { PeopleExcludedAsPeople1763904400000 } from './migrations/1763904400000-people-excluded-as-people';
import { AuthorKeys1763904500000 } from './migrations/1763904500000-author-keys';
import { ReporterPlacement1763904600000 } from './migrations/1763904600000-reporter-placement';
import { HeldAuditDueTenants1763904700000 } from './migrations/1763904700000-held-audit-due-tenants';
import { CaseListOrder1763904710000 } from './migrations/1763904710000-case-list-order';
import { ItemSignatureBackfill1763904800000 } from './migrations/1763904800000-item-signature-backfill';
import { PlacementOfKeysAndExclusions1763904850000 } from './migrations/1763904850000-placement-of-keys-and-exclusions';
import { ReferralGroup1763905000000 } from './migrations/1763905000000-referral-group';
import { CaseModeTag1763905010000 } from './migrations/1763905010000-case-mode-tag';
import { EveryWriterHoldsTheCase1763905100000 } from './migrations/1763905100000-every-writer-holds-the-case';
import { PlacementWaitsForAStarvedCase1763905400000 } from './migrations/1763905400000-placement-waits-for-a-starved-case';
import { ManyCaseWritersHoldTheCouncil1763905700000 } from './migrations/1763905700000-many-case-writers-hold-the-council';
import { DoorTriesTheHold1763905750000 } from './migrations/1763905750000-door-tries-the-hold';
import { HeldChildTables1763906000000 } from './migrations/1763906000000-held-child-tables';
import { DoorPlacesACaseAlone1763906400000 } from './migrations/1763906400000-door-places-a-case-alone';
import { UniqueWithHeldLocksHeldRowsOnly1763906450000 } from './migrations/1763906450000-unique-with-held-locks-held-rows-only';
import { HeldRowsWithoutDynamicSql1763906500000 } from './migrations/1763906500000-held-rows-without-dynamic-sql';
import { PlacementSaysWhatIsHeld1763906100000 } from './migrations/1763906100000-placement-says-what-is-held';

/** Every entity, listed so the webpack bundle carries them (no globs at run time). */
export const ENTITIES = [
  TenantEntity,
  TenantSigningKeyEntity,
  TenantRoutingSettingsEntity,
  TenantRetentionSettingsEntity,
  StaffUserEntity,
  AuditEntryEntity,
  AuditCheckpointEntity,
  CaseEntity,
  CaseScopeKeyEntity,
  CaseGrantEntity,
  CaseItemEntity,
  ReporterKeyEntity,
  CaseExclusionEntity,
  IdentityRequestEntity,
  NamingRequestEntity,
  ClosureRequestEntity,
  CaseLinkEntity,
  RecommendationEntity,
  OutboxEntity,
];
/** Every migration in order. One migration per change; never edit a merged one. */
export const MIGRATIONS = [
  Foundation1763900000000,
  AuditTrail1763900100000,
  StaffSignIn1763900200000,
  CaseStore1763900300000,
  Intake1763900400000,
  Transitions1763900500000,
  CaseExclusions1763900600000,
  IdentityRequests1763900700000,
  Notifications1763900800000,
  SlaEvents1763900900000,
  Retention1763901000000,
  TenantSigningKeys1763901400000,
  Assignment1763901100000,
  CaseLinks1763901200000,
  Feedback1763901300000,
  AdminSettings1763901500000,
  ReopenedOn1763901600000,
  RetentionSettings1763901700000,
  DashboardIndexes1763901800000,
  SlaSettings1763901900000,
  CaseReads1763902000000,
  AuditItemIds1763902100000,
  RoleConfirmation1763903100000,
  CredentialHandover1763903200000,
  AuditCheckpointSignatures1763903300000,
  ReporterTime1763903400000,
  OutboxPendingTenants1763903500000,
  ReceiptReplacement1763903600000,
  ReporterVisibility1763903700000,
  DuplicateLinks1763903800000,
  CaseItemSignatures1763904000000,
  SigningKeyHour1763904100000,
  Recommendations1763904200000,
  PeopleExcludedAsPeople1763904400000,
  AuthorKeys1763904500000,
  ReporterPlacement1763904600000,
  HeldAuditDueTenants1763904700000,
  CaseListOrder1763904710000,
  ItemSignatureBackfill1763904800000,
  PlacementOfKeysAndExclusions1763904850000,
  ReferralGroup1763905000000,
  CaseModeTag1763905010000,
  EveryWriterHoldsTheCase1763905100000,
  PlacementWaitsForAStarvedCase1763905400000,
  ManyCaseWritersHoldTheCouncil1763905700000,
  DoorTriesTheHold1763905750000,
  HeldChildTables1763906000000,
  PlacementSaysWhatIsHeld1763906100000,
  DoorPlacesACaseAlone1763906400000,
  UniqueWithHeldLocksHeldRowsOnly1763906450000,
  HeldRowsWithoutDynamicSql1763906500000,
];

export function dataSourceOptions(url: string) {
  return {
    type: 'postgres' as const,
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // JIT compilation off: Nolan's queries are short, and Postgres compiles any plan it costs above
    // jit_above_cost (the case list's count in a large council), which added 15–100 ms to a query of a
    // few (docs/performance.md "The case list").
    extra: { max: 10, connectionTimeoutMillis: 5000, application_name: 'nolan', options: '-c jit=off' },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
