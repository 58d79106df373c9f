/**
 * The reporter's side of the API, typed for the portal (docs/conventions.md §8: one client class per API):
 * the council's form, the proof of work (an ALTCHA challenge, or a wait ticket without JavaScript),
 * sending a report, receipt sign-in and the follow-up calls. The shapes come from @nolan/contract, which
 * the API's own responses are typed with (docs/architecture.md "The contract"); the portal never imports
 * API code, only this HTTP surface.
 */
import { Injectable } from '@nestjs/common';
import type {
  AltchaChallenge,
  HumanCheckPurpose,
  HumanProof,
  IntakeForm,
  MessageSent,
  ReceiptReplaced,
  ReporterCase,
  ReporterSignIn,
  Submission,
  SubmittedReport,
  WaitTicket,
} from '@nolan/contract';
import { type ApiBinary, ApiHttp } from './api-http';

export type {
  AltchaChallenge,
  FormQuestion,
  HumanCheckPurpose,
  HumanProof,
  IntakeForm,
  ReporterCase,
  Submission,
  WaitTicket,
} from '@nolan/contract';

/** A file as the browser sent it, forwarded to the API as is (the API sniffs and strips it). */
export interface UploadedEvidence {
  readonly name: string;
  readonly bytes: Buffer;
}

@Injectable()
export class ReporterApi {
  constructor(private readonly http: ApiHttp) {}

  form(slug: string): Promise<IntakeForm> {
    return this.http.get<IntakeForm>(`/tenants/${encodeURIComponent(slug)}/form`);
  }

  challenge(slug: string, purpose: HumanCheckPurpose): Promise<AltchaChallenge> {
    return this.http.get<AltchaChallenge>(`/tenants/${encodeURIComponent(slug)}/challenge`, {
      query: { purpose, mode: 'pow' },
    });
  }

  /** A wait ticket; an ApiProblem with status 429 when the council's no-JavaScript allowance is spent. */
  waitTicket(slug: string, purpose: HumanCheckPurpose): Promise<WaitTicket> {
    return this.http.get<WaitTicket>(`/tenants/${encodeURIComponent(slug)}/challenge`, {
      query: { purpose, mode: 'wait' },
    });
  }

  submit(
    slug: string,
    submission: Submission,
    proof: HumanProof,
    files: readonly UploadedEvidence[],
  ): Promise<SubmittedReport> {
    const path = `/tenants/${encodeURIComponent(slug)}/reports`;
    const body = { ...submission, ...proof };
    if (!files.length) return this.http.post(path, { json: body });
    return this.http.post(path, { form: multipart('submission', body, files) });
  }

  signIn(slug: string, receipt: string, proof: HumanProof): Promise<ReporterSignIn> {
    return this.http.post(`/tenants/${encodeURIComponent(slug)}/reporter-sessions`, {
      json: { receipt, ...proof },
    });
  }

  view(token: string): Promise<ReporterCase> {
    return this.http.get<ReporterCase>('/reporter/case', { token });
  }

  sendMessage(token: string, text: string, files: readonly UploadedEvidence[]): Promise<MessageSent> {
    if (!files.length) return this.http.post('/reporter/case/messages', { token, json: { text } });
    return this.http.post('/reporter/case/messages', { token, form: multipart('message', { text }, files) });
  }

  addIdentity(token: string, identity: Readonly<Record<string, string>>): Promise<unknown> {
    return this.http.post('/reporter/case/identity', { token, json: identity });
  }

  /** Names people (by role, from the form's list) as involved after sending: they lose access at once. */
  nameInvolved(token: string, roles: readonly string[], reason?: string): Promise<unknown> {
    return this.http.post('/reporter/case/involved', {
      token,
      json: { roles, ...(reason ? { reason } : {}) },
    });
  }

  file(token: string, id: string): Promise<ApiBinary> {
    return this.http.binary('GET', `/reporter/case/files/${encodeURIComponent(id)}`, { token });
  }

  /** A new receipt for the signed-in reporter, shown once; the old one stops working at once. */
  replaceReceipt(token: string): Promise<ReceiptReplaced> {
    return this.http.post<ReceiptReplaced>('/reporter/case/receipt', { token });
  }

  signOut(token: string): Promise<void> {
    return this.http.delete<void>('/reporter/session', { token });
  }
}

/** The API's multipart shape: the JSON in one field, the files under `files`. */
function multipart(field: string, json: unknown, files: readonly UploadedEvidence[]): FormData {
  const form = new FormData();
  form.append(field, JSON.stringify(json));
  for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
  return form;
}
