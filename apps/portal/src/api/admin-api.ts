/**
 * The administrators' side of the API (apps/api/src/admin, tag "admin" at /api/docs), typed for the portal's
 * admin pages (docs/conventions.md §8: one client class per API, built on ApiHttp). Nothing here carries case
 * content: administrators configure the council and never learn which cases exist. The shapes come from
 * @nolan/contract, which the API's admin responses implement (docs/architecture.md "The contract").
 */
import { Injectable } from '@nestjs/common';
import type {
  AdminUser,
  AdminUserPage,
  AdminUserQuery,
  ConflictRoutesChange,
  ConflictRoutesView,
  CreatedUser,
  IntakeForm,
  NewUser,
  PolicyView,
  RetentionOverrides,
  RoleHolders,
  TwoFactorReset,
  UpdatedUser,
  UserChange,
} from '@nolan/contract';
import { ApiHttp } from './api-http';

export type {
  AdminUser,
  AttachmentLimits,
  ConflictRoute,
  ConflictRoutesView,
  ConflictRouteSet,
  FormQuestion as FormQuestionView,
  NewUser,
  PolicyView,
  RetentionEntry,
  RetentionOutcomeView as RetentionOutcome,
  RetentionOverrides,
  RetentionSetting,
  RoutedPerson,
  RoutingPreviewEntry,
} from '@nolan/contract';

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
  putConflictRoutes(token: string, body: ConflictRoutesChange): Promise<ConflictRoutesView> {
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
  councilForm(council: string): Promise<IntakeForm> {
    return this.http.get(`/tenants/${id(council)}/form`);
  }
}
