/**
 * The staff side of the API, typed for the portal's pages (docs/conventions.md §8: one client class per API,
 * built on ApiHttp). The shapes come from @nolan/contract, which the API's responses are typed with
 * (docs/architecture.md "The contract"), the case view and the timeline included. The portal never
 * imports API code.
 */
import { Injectable } from '@nestjs/common';
import type {
  AssigneeOptions,
  CaseLinks,
  CaseRecommendation,
  RecommendationBody,
  RecommendationStatusBody,
  CaseList,
  CaseListItem,
  CaseListQuery,
  IdentityRequestState,
  IdentityRequestView,
  IntakeForm,
  JobRetried,
  Me,
  MessageSent,
  NewCaseLink,
  OpenPgpKeyRegistered,
  QueueOverview,
  Recused,
  RevealedIdentity,
  AuditCheckpointFile,
  RoleRequestDecision,
  RoleRequestList,
  SettingsChangePage,
  StaffSignIn,
  StaffSignInRequest,
  Timeline,
  CaseView as CaseDetail,
  NamingRequestView,
  ClosureRequestView,
  TotpEnrolment,
  TransitionRequest,
} from '@nolan/contract';
import { ApiHttp, type ApiBinary } from './api-http';

export type {
  AssigneeOption,
  CaseLinkView as CaseLink,
  CaseList,
  CaseListQuery,
  IdentityRequestView as IdentityRequest,
  Me,
  NamingRequestView as NamingRequest,
  QueueOverview,
  SessionScope,
  SettingsChange,
  StaffSignIn as SignedIn,
  Timeline,
  TimelineEvent,
  AllowedTransition,
  CaseAttachment,
  CaseMessage,
  CaseView as CaseDetail,
} from '@nolan/contract';

/** A case as the list shows it (the case view below adds its content). */
export type CaseSummary = CaseListItem;

@Injectable()
export class StaffApi {
  constructor(private readonly http: ApiHttp) {}

  signIn(council: string, input: StaffSignInRequest): Promise<StaffSignIn> {
    return this.http.post(`/tenants/${encodeURIComponent(council)}/sessions`, { json: input });
  }

  /** The council's public intake form: used to check a council exists, and for role holders' names. */
  councilForm(council: string): Promise<IntakeForm> {
    return this.http.get(`/tenants/${encodeURIComponent(council)}/form`);
  }

  signOut(token: string): Promise<void> {
    return this.http.delete('/sessions/current', { token });
  }

  me(token: string): Promise<Me> {
    return this.http.get('/me', { token });
  }

  acknowledgeAccountNotice(token: string): Promise<void> {
    return this.http.delete('/me/account-notice', { token });
  }

  startTotp(token: string): Promise<TotpEnrolment> {
    return this.http.post('/me/totp', { token });
  }

  /** With the passwords when the API asks for the person's own new one (Me.passwordMustChange). */
  confirmTotp(
    token: string,
    totp: string,
    passwords?: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    return this.http.put('/me/totp', { token, json: { totp, ...passwords } });
  }

  changePassword(token: string, currentPassword: string, newPassword: string): Promise<void> {
    return this.http.put('/me/password', { token, json: { currentPassword, newPassword } });
  }

  listCases(token: string, query: CaseListQuery): Promise<CaseList> {
    return this.http.get('/cases', { token, query: { ...query } });
  }

  getCase(token: string, reference: string): Promise<CaseDetail> {
    return this.http.get(`/cases/${ref(reference)}`, { token });
  }

  timeline(token: string, reference: string): Promise<Timeline> {
    return this.http.get(`/cases/${ref(reference)}/timeline`, { token });
  }

  transition(token: string, reference: string, command: TransitionRequest): Promise<CaseListItem> {
    return this.http.post(`/cases/${ref(reference)}/transitions`, { token, json: command });
  }

  sendMessage(token: string, reference: string, text: string): Promise<MessageSent> {
    return this.http.post(`/cases/${ref(reference)}/messages`, { token, json: { text } });
  }

  /** A reply with files (multipart: text and files), in the report scope. */
  reply(token: string, reference: string, form: FormData): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/replies`, { token, form });
  }

  giveFeedback(token: string, reference: string, actionTaken: string, reasons: string): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/feedback`, { token, json: { actionTaken, reasons } });
  }

  addNote(token: string, reference: string, text: string): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/notes`, { token, json: { text } });
  }

  addEvidence(token: string, reference: string, form: FormData): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/evidence`, { token, form });
  }

  downloadFile(token: string, reference: string, fileId: string): Promise<ApiBinary> {
    return this.http.binary('GET', `/cases/${ref(reference)}/files/${encodeURIComponent(fileId)}`, { token });
  }

  recuse(token: string, reference: string, reason: string): Promise<Recused> {
    return this.http.post(`/cases/${ref(reference)}/recusal`, { token, json: { reason } });
  }

  requestIdentity(token: string, reference: string, reason: string): Promise<IdentityRequestState> {
    return this.http.post(`/cases/${ref(reference)}/identity-requests`, { token, json: { reason } });
  }

  identityRequests(token: string, reference: string): Promise<IdentityRequestView[]> {
    return this.http.get(`/cases/${ref(reference)}/identity-requests`, { token });
  }

  decideIdentity(
    token: string,
    reference: string,
    requestId: string,
    approve: boolean,
    reason: string,
  ): Promise<IdentityRequestState> {
    return this.http.post(
      `/cases/${ref(reference)}/identity-requests/${encodeURIComponent(requestId)}/decision`,
      { token, json: { approve, reason } },
    );
  }

  revealIdentity(token: string, reference: string): Promise<RevealedIdentity> {
    return this.http.get(`/cases/${ref(reference)}/identity`, { token });
  }

  /** Who the case may be assigned or transferred to (its overseer only; 403 for anyone else). */
  assignees(token: string, reference: string): Promise<AssigneeOptions> {
    return this.http.get(`/cases/${ref(reference)}/assignees`, { token });
  }

  assign(token: string, reference: string, assigneeId: string): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/assignment`, { token, json: { assigneeId } });
  }

  confirmOwnership(token: string, reference: string): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/ownership`, { token });
  }

  links(token: string, reference: string): Promise<CaseLinks> {
    return this.http.get(`/cases/${ref(reference)}/links`, { token });
  }

  link(token: string, reference: string, link: NewCaseLink): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/links`, { token, json: link });
  }

  unlink(token: string, reference: string, id: string): Promise<void> {
    return this.http.delete(`/cases/${ref(reference)}/links/${encodeURIComponent(id)}`, { token });
  }

  recommendations(token: string, reference: string): Promise<{ items: CaseRecommendation[] }> {
    return this.http.get(`/cases/${ref(reference)}/recommendations`, { token });
  }

  raiseRecommendation(token: string, reference: string, body: RecommendationBody): Promise<{ id: string }> {
    return this.http.post(`/cases/${ref(reference)}/recommendations`, { token, json: body });
  }

  updateRecommendation(
    token: string,
    reference: string,
    id: string,
    body: RecommendationStatusBody,
  ): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/recommendations/${encodeURIComponent(id)}/status`, {
      token,
      json: body,
    });
  }

  legalHold(token: string, reference: string, hold: boolean, reason: string): Promise<unknown> {
    return hold
      ? this.http.post(`/cases/${ref(reference)}/legal-hold`, { token, json: { reason } })
      : this.http.delete(`/cases/${ref(reference)}/legal-hold`, { token, json: { reason } });
  }

  /** At once (the overseer's own, or naming yourself), or a request the overseer confirms (`requestId`). */
  nameInvolved(
    token: string,
    reference: string,
    role: string,
    reason: string,
  ): Promise<{ named: number } & ({ requestId: string; status: 'pending' } | { passedTo: number })> {
    return this.http.post(`/cases/${ref(reference)}/involved`, { token, json: { role, reason } });
  }

  /** The naming requests the user made or may confirm (issue #15). */
  namingRequests(token: string, reference: string): Promise<NamingRequestView[]> {
    return this.http.get(`/cases/${ref(reference)}/involved/requests`, { token });
  }

  /** Requests to the overseer to agree to closing the case (issue #15). */
  closureRequests(token: string, reference: string): Promise<ClosureRequestView[]> {
    return this.http.get(`/cases/${ref(reference)}/closure-requests`, { token });
  }

  requestClosure(token: string, reference: string, outcome: string, reason: string): Promise<ClosureRequestView> {
    return this.http.post(`/cases/${ref(reference)}/closure-requests`, { token, json: { outcome, reason } });
  }

  decideClosure(token: string, reference: string, id: string, agree: boolean): Promise<ClosureRequestView> {
    return this.http.post(`/cases/${ref(reference)}/closure-requests/${encodeURIComponent(id)}/decision`, {
      token,
      json: { agree },
    });
  }

  decideNaming(token: string, reference: string, id: string, confirm: boolean): Promise<unknown> {
    return this.http.post(`/cases/${ref(reference)}/involved/requests/${encodeURIComponent(id)}/decision`, {
      token,
      json: { confirm },
    });
  }

  /** The case as an OpenPGP message for the user's registered key (binary). */
  exportCase(token: string, reference: string): Promise<ApiBinary> {
    return this.http.binary('POST', `/cases/${ref(reference)}/exports`, { token });
  }

  registerKey(token: string, armoredPublicKey: string): Promise<OpenPgpKeyRegistered> {
    return this.http.put('/me/openpgp-key', { token, json: { armoredPublicKey } });
  }

  /** What administrators changed, newest first (oversight roles only). */
  settingsChanges(token: string, limit = 10): Promise<SettingsChangePage> {
    return this.http.get(`/oversight/changes?limit=${limit}`, { token });
  }

  /** Roles administrators asked for that await confirmation (oversight roles only). */
  roleRequests(token: string): Promise<RoleRequestList> {
    return this.http.get('/oversight/role-requests', { token });
  }

  /** A signed checkpoint of the council's audit trail, as the file to keep (monitoring officer only). */
  auditCheckpoint(token: string): Promise<AuditCheckpointFile> {
    return this.http.get('/oversight/audit-checkpoint', { token });
  }

  decideRoleRequest(token: string, userId: string, decision: RoleRequestDecision): Promise<unknown> {
    return this.http.post(`/oversight/role-requests/${encodeURIComponent(userId)}`, {
      token,
      json: decision,
    });
  }

  queues(token: string): Promise<QueueOverview> {
    return this.http.get('/admin/queues', { token });
  }

  retryJob(token: string, queue: string, jobId: string): Promise<JobRetried> {
    return this.http.post(
      `/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}/retry`,
      { token },
    );
  }
}

function ref(reference: string): string {
  return encodeURIComponent(reference);
}
