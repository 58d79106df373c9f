/** The reporter's pages and what they need, for PortalModule: the journey, and follow-up with the receipt. */
import { ReporterApi } from '../api/reporter-api';
import { AltchaAssetsController } from './altcha-assets.controller';
import { CaseAdditionsController } from './case-additions.controller';
import { CouncilForms } from './council-forms.service';
import { DraftRecords } from './draft-records';
import { DEFAULT_DRAFT_STORE_BYTES, DraftStore } from './draft-store';
import { CasePage, FollowUpController } from './follow-up.controller';
import { HumanProofService } from './human-proof.service';
import { JourneyPages } from './journey-pages';
import { ReportJourneyController } from './report-journey.controller';

export const REPORTER_CONTROLLERS = [
  ReportJourneyController,
  FollowUpController,
  CaseAdditionsController,
  AltchaAssetsController,
];
export const REPORTER_PROVIDERS = [
  ReporterApi,
  CouncilForms,
  JourneyPages,
  HumanProofService,
  CasePage,
  { provide: DraftStore, useFactory: () => new DraftStore({ budgetBytes: DEFAULT_DRAFT_STORE_BYTES }) },
  DraftRecords,
];
