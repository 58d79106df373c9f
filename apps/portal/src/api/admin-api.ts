/**
 * The administrators' side of the API (apps/api/src/admin, tag "admin" at /api/docs), typed for the portal's
 * admin pages (docs/conventions.md §8: one client class per API, built on ApiHttp). Nothing here carries case
 * content: administrators configure the council and never learn which cases exist. The shapes mirror the
 * API's responses; the portal never imports API code, so they are written out here.
 */
import { Injectable } from '@nestjs/common';
import { ApiHttp } from './api-http';

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
  /** False once deactivated: cannot sign in, never routed to. */
  active: boolean;
  deactivatedAt: string | null;
  twoFactorEnrolled: boolean;
  keyFingerprint: string;
  createdAt: string;
}

export interface AdminUserPage {
  items: AdminUser[];
  total: number;
  limit: number;
  offset: number;
}

export interface AdminUserQuery {
  role?: string;
  active?: boolean;
  limit?: number;
  offset?: number;
}

export interface NewUser {
  email: string;
  name: string;
  roles: string[];
}

export interface CreatedUser {
  user: AdminUser;
  /** Shown once, never stored readable. */
  temporaryPassword: string;
  notice: string[];
}

export interface UserChange {
  roles?: string[];
  active?: boolean;
}

export interface UpdatedUser {
  user: AdminUser;
  notice: string[];
  /** Routing roles nobody holds now, and other problems. */
  warnings: string[];
}

export interface TwoFactorReset {
  user: AdminUser;
  notice: string[];
}

export interface RoleHolderPerson {
  id: string;
  name: string;
  email: string;
}

export interface RoleHolders {
  roles: {
    role: string;
    label: string;
    holders: RoleHolderPerson[];
    deactivatedHolders: RoleHolderPerson[];
    /** Set when nobody active holds the role. */
    warning: string | null;
  }[];
  /** Every problem, the empty roles first. */
  warnings: string[];
}

export interface ConflictRoute {
  /** Who oversees instead, in order of preference. */
  leads: string[];
  owners: string[];
  notify: string[];
  excludedWithSubject: string[];
}

export type ConflictRouteSet = Record<string, ConflictRoute>;

export type RoutedPerson = RoleHolderPerson & { role: string };

export interface RoutingPreviewEntry {
  /** A concern about the holder of this role… */
  subject: string;
  kind: 'routed' | 'no_eligible_recipient';
  overseer?: RoutedPerson;
  owners?: RoutedPerson[];
  notify?: RoutedPerson[];
  /** Why it cannot be routed inside the council. */
  reason?: string;
}

export interface ConflictRoutesView {
  deputyIndependent: boolean;
  /** False while the council uses the defaults. */
  customised: boolean;
  routes: ConflictRouteSet;
  defaults: ConflictRouteSet;
  updatedAt: string | null;
  updatedBy: string | null;
  preview: RoutingPreviewEntry[];
  /** After a change: what it does to existing cases. */
  notice?: string[];
}

export interface SlaPolicy {
  acknowledgementDays: number;
  acknowledgementUnit: string;
  acknowledgementReminderDaysBefore: number;
  feedbackMonths: number;
  feedbackReminderDaysBefore: number;
  safeguardingReferralWorkingDays: number;
  ownershipConfirmationWorkingDays: number;
  extraClosureDays: string[];
  statutoryAcknowledgementDays: number;
  /** The clocks in sentences. */
  summary: string[];
  clocks: { category: string; title: string; clock: string }[];
}

export interface RetentionRuleView {
  outcomes: string[];
  outcomeLabels: string[];
  years: number;
  untilEndOfYear: boolean;
  /** The council's own period, not the default. */
  overridden: boolean;
  summary: string;
}

export interface RetentionOutcome {
  outcome: string;
  label: string;
  years: number;
  untilEndOfYear: boolean;
  overridden: boolean;
  defaultYears: number;
  defaultUntilEndOfYear: boolean;
}

export interface RetentionEntry {
  category: string;
  title: string;
  /** Outcomes that share a period, together. */
  rules: RetentionRuleView[];
  /** Each outcome's period in force, and its default. */
  outcomes: RetentionOutcome[];
}

export interface RetentionSetting {
  years: number;
  untilEndOfYear: boolean;
}

/** The council's retention overrides, keyed `category` or `category:outcome`. */
export type RetentionOverrides = Record<string, RetentionSetting>;

export interface AttachmentLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxTotalBytes: number;
  acceptedTypes: { mediaType: string; extensions: string[]; label: string }[];
}

export interface PolicyView {
  sla: SlaPolicy;
  retention: RetentionEntry[];
  /** The council's overrides; {} on the defaults. */
  retentionOverrides: RetentionOverrides;
  retentionUpdatedAt: string | null;
  retentionNote: string;
  attachments: AttachmentLimits;
  keys: {
    signing: { fingerprint: string; createdAt: string; publishedAt: string };
    escrow: { fingerprint: string };
  };
  /** After a change. */
  notice?: string[];
}

export interface FormQuestionView {
  id: string;
  label: string;
  hint?: string;
  type: string;
  required: boolean;
  maxLength?: number;
  options?: { value: string; label: string }[];
  categories?: string[];
}

/** The council's public intake form, as reporters see it. */
export interface CouncilFormView {
  tenant: { slug: string; name: string };
  categories: { id: string; title: string; description: string }[];
  questions: FormQuestionView[];
  involves?: { label: string; hint: string; options: { value: string; label: string; holders: string[] }[] };
  identity?: { statement: string; fields: FormQuestionView[] };
}

const id = (value: string) => encodeURIComponent(value);

@Injectable()
export class AdminApi {
  constructor(private readonly http: ApiHttp) {}

  users(token: string, query: AdminUserQuery): Promise<AdminUserPage> {
    return this.http.get('/admin/users', { token, query: { ...query } });
  }

  createUser(token: string, user: NewUser): Promise<CreatedUser> {
    return this.http.post('/admin/users', { token, json: user });
  }

  user(token: string, userId: string): Promise<AdminUser> {
    return this.http.get(`/admin/users/${id(userId)}`, { token });
  }

  updateUser(token: string, userId: string, change: UserChange): Promise<UpdatedUser> {
    return this.http.patch(`/admin/users/${id(userId)}`, { token, json: change });
  }

  resetTwoFactor(token: string, userId: string): Promise<TwoFactorReset> {
    return this.http.post(`/admin/users/${id(userId)}/reset-2fa`, { token });
  }

  roleHolders(token: string): Promise<RoleHolders> {
    return this.http.get('/admin/role-holders', { token });
  }

  conflictRoutes(token: string): Promise<ConflictRoutesView> {
    return this.http.get('/admin/conflict-routes', { token });
  }

  /** `routes` null restores the defaults. */
  putConflictRoutes(
    token: string,
    body: { deputyIndependent: boolean; routes: ConflictRouteSet | null },
  ): Promise<ConflictRoutesView> {
    return this.http.put('/admin/conflict-routes', { token, json: body });
  }

  policy(token: string): Promise<PolicyView> {
    return this.http.get('/admin/policy', { token });
  }

  /** Replaces the council's whole set of retention overrides. */
  putRetention(token: string, overrides: RetentionOverrides): Promise<PolicyView> {
    return this.http.put('/admin/retention', { token, json: { overrides } });
  }

  /** The council's public intake form (no token: it is what reporters see). */
  councilForm(council: string): Promise<CouncilFormView> {
    return this.http.get(`/tenants/${id(council)}/form`);
  }
}
