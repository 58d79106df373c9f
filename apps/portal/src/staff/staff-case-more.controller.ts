/**
 * The rest of what a handler does on a case page, from the APIs that landed with issue #7: evidence
 * with files (multipart, passed to the API as it came: the API checks and strips the files), confirming
 * ownership of an assigned case, legal hold, links to related cases, naming a statutory role as
 * involved, and exporting the case (an OpenPGP message for the user's own key, passed through as a
 * download). Same shape as the other forms: 400 with the error summary, answers kept.
 */
import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { CASE_OUTCOME_LABELS, CASE_OUTCOMES, ROLE_HOLDER_ROLES, STAFF_ROLE_LABELS } from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { type CaseDetail, StaffApi } from '../api/staff-api';
import { apiErrors, type FormErrors, formErrors } from './form-errors';
import { CurrentStaff, isOverseer, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

type Form = Record<string, unknown>;
const REFERENCE = /^[A-Za-z0-9-]{1,20}$/;

/** As the API's own upload limits: 20 files of up to 50 MB (the API refuses more with 413). */
const UPLOAD = { fileSize: 50 * 1024 * 1024 + 1, files: 20, fields: 10, fieldSize: 100 * 1024, parts: 40 };

export const EVIDENCE_KINDS = [
  { value: 'document', text: 'A document' },
  { value: 'interview_record', text: 'A record of an interview' },
  { value: 'correspondence', text: 'Correspondence' },
  { value: 'other', text: 'Something else' },
];

export const LINK_KINDS = [
  { value: 'same_subject', text: 'The same person or body', hint: 'The concerns are about the same subject' },
  { value: 'same_pattern', text: 'The same kind of wrongdoing', hint: 'For example, the same way of splitting contracts' },
];

interface UploadedFile {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
  size: number;
}

function text(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

@Controller('staff/cases/:reference')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffCaseMoreController {
  constructor(private readonly api: StaffApi) {}

  @Get('evidence')
  async evidenceForm(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Res() res: Response) {
    res.render('staff/evidence', { c: await this.requireCase(staff, reference), kinds: EVIDENCE_KINDS, values: {} });
  }

  /** Multipart: the CSRF token is in the form's action (?_csrf=), read before the body is. */
  @Post('evidence')
  @UseInterceptors(FilesInterceptor('files', UPLOAD.files, { limits: UPLOAD }))
  async evidence(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @UploadedFiles() uploads: UploadedFile[] | undefined,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const values = { description: text(body, 'description'), kind: text(body, 'kind') };
    const files = (uploads ?? []).filter((f) => f.size > 0 && f.originalname);
    const problems: { id: string; text: string }[] = [];
    if (!EVIDENCE_KINDS.some((k) => k.value === values.kind)) problems.push({ id: 'kind', text: 'Select what kind of evidence this is' });
    if (!values.description) problems.push({ id: 'description', text: 'Describe the evidence and what it shows' });
    else if (values.description.length > 20000) problems.push({ id: 'description', text: 'The description must be 20,000 characters or fewer' });
    let errors = formErrors(problems);
    if (!errors) {
      const form = new FormData();
      form.set('description', values.description);
      form.set('kind', values.kind);
      for (const file of files)
        form.append('files', new Blob([new Uint8Array(file.buffer)], { type: file.mimetype || 'application/octet-stream' }), file.originalname);
      try {
        await this.api.addEvidence(staff.token, reference, form);
        return res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}?done=evidence#timeline`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409, 413, 415].includes(error.status)) throw error;
        const reselect = files.length ? ' Select the files again.' : '';
        errors = apiErrors(
          error.messages.map((m) => (error.status === 413 || error.status === 415 ? `${m}${reselect}` : m)),
          [
            { id: error.status === 413 || error.status === 415 ? 'files' : 'description', apiNames: ['description'] },
            { id: 'kind', apiNames: ['kind'] },
            { id: 'files', apiNames: ['files', 'file'] },
          ],
        );
      }
    }
    res.status(400).render('staff/evidence', { c, kinds: EVIDENCE_KINDS, values, errors });
  }

  @Post('ownership')
  async ownership(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Body() _body: Form, @Res() res: Response) {
    const c = await this.requireCase(staff, reference);
    await this.api.confirmOwnership(staff.token, c.reference);
    res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}?done=ownership`);
  }

  @Get('legal-hold')
  async legalHoldForm(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Res() res: Response) {
    res.render('staff/legal-hold', { c: await this.requireCase(staff, reference), values: {} });
  }

  @Post('legal-hold')
  async legalHold(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const reason = text(body, 'reason');
    let errors: FormErrors | undefined;
    if (!reason) errors = formErrors([{ id: 'reason', text: c.legalHold ? 'Say why the hold can end' : 'Say why the case must be kept' }]);
    else if (reason.length > 2000) errors = formErrors([{ id: 'reason', text: 'The reason must be 2,000 characters or fewer' }]);
    if (!errors) {
      try {
        await this.api.legalHold(staff.token, c.reference, !c.legalHold, reason);
        return res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}?done=${c.legalHold ? 'hold-cleared' : 'hold-set'}`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 403, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [{ id: 'reason', apiNames: ['reason'] }]);
      }
    }
    res.status(400).render('staff/legal-hold', { c, values: { reason }, errors });
  }

  @Get('links')
  async linkForm(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Res() res: Response) {
    res.render('staff/link', { c: await this.requireCase(staff, reference), kinds: LINK_KINDS, values: {} });
  }

  @Post('links')
  async link(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const values = { other: text(body, 'other').toUpperCase(), kind: text(body, 'kind'), note: text(body, 'note') };
    const problems: { id: string; text: string }[] = [];
    if (!values.other) problems.push({ id: 'other', text: 'Enter the reference of the related case' });
    else if (!REFERENCE.test(values.other)) problems.push({ id: 'other', text: 'Enter a case reference, like NLN-7KQ2-M9XD' });
    else if (values.other === c.reference) problems.push({ id: 'other', text: 'Enter the reference of another case' });
    if (!LINK_KINDS.some((k) => k.value === values.kind)) problems.push({ id: 'kind', text: 'Select how the cases are related' });
    if (!values.note) problems.push({ id: 'note', text: 'Say why the cases are related' });
    else if (values.note.length > 2000) problems.push({ id: 'note', text: 'The note must be 2,000 characters or fewer' });
    let errors = formErrors(problems);
    if (!errors) {
      try {
        await this.api.link(staff.token, c.reference, { reference: values.other, kind: values.kind, note: values.note });
        return res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}?done=linked#links`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 404, 409].includes(error.status)) throw error;
        // 404: the other case does not exist for this user (the API will not say which).
        const messages = error.status === 404 ? ['There is no case with that reference that you can see'] : error.messages;
        errors = apiErrors(messages, [
          { id: 'other', apiNames: ['reference'] },
          { id: 'kind', apiNames: ['kind'] },
          { id: 'note', apiNames: ['note'] },
        ]);
      }
    }
    res.status(400).render('staff/link', { c, kinds: LINK_KINDS, values, errors });
  }

  @Post('links/:id/remove')
  async unlink(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Body() _body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    if (!/^[0-9a-f-]{36}$/i.test(id)) return res.status(404).render('pages/not-found');
    await this.api.unlink(staff.token, c.reference, id);
    res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}?done=unlinked#links`);
  }

  @Get('involved')
  async involvedForm(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Res() res: Response) {
    res.render('staff/involved', { c: await this.requireCase(staff, reference), roles: roleItems(), values: {} });
  }

  @Post('involved')
  async involved(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const form = choiceWithReason(body, { name: 'role', allowed: ROLE_HOLDER_ROLES, unchosen: 'Select who the concern involves' }, 'Say how you know they are involved');
    const values = { role: form.choice, reason: form.reason };
    let { errors } = form;
    if (!errors) {
      try {
        const named = await this.api.nameInvolved(staff.token, c.reference, values.role, values.reason);
        // The user may have named their own role: the case may now be gone for them. Otherwise it may be
        // a request that waits for the overseer to confirm it (issue #15).
        return res.render('staff/named', {
          reference: c.reference,
          role: STAFF_ROLE_LABELS[values.role as keyof typeof STAFF_ROLE_LABELS],
          pending: 'requestId' in named,
          section: 'cases',
        });
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [
          { id: 'role', apiNames: ['role', 'userId'] },
          { id: 'reason', apiNames: ['reason'] },
        ]);
      }
    }
    res.status(400).render('staff/involved', { c, roles: roleItems(), values, errors });
  }

  /** Naming requests the user made or may confirm, each with Confirm and Reject for its confirmer. */
  @Get('involved/requests')
  async namingRequests(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
    @Query('done') done?: string,
  ) {
    const c = await this.requireCase(staff, reference);
    const requests = await this.api.namingRequests(staff.token, c.reference);
    res.render('staff/naming-requests', {
      c,
      requests,
      roleLabels: STAFF_ROLE_LABELS,
      done: done === 'confirm' || done === 'reject' ? done : null,
    });
  }

  @Post('involved/requests/:id')
  async decideNaming(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const decision = decisionOn(id, body, ['confirm', 'reject']);
    if (!decision) return res.status(404).render('pages/not-found');
    await this.api.decideNaming(staff.token, c.reference, id, decision === 'confirm');
    res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}/involved/requests?done=${decision}`);
  }

  /**
   * Closing short of the overseer's own decision needs their agreement (issue #15): a handler asks here,
   * the overseer agrees or refuses here, and the handler then closes the case as usual.
   */
  @Get('closure-requests')
  async closureRequests(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
    @Query('done') done?: string,
  ) {
    const c = await this.requireCase(staff, reference);
    await this.renderClosure(res, staff, c, {}, undefined, ['asked', 'agreed', 'refused'].includes(done ?? '') ? done : null);
  }

  @Post('closure-requests')
  async requestClosure(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Body() body: Form, @Res() res: Response) {
    const c = await this.requireCase(staff, reference);
    const form = choiceWithReason(body, { name: 'outcome', allowed: CASE_OUTCOMES, unchosen: 'Select the outcome you want to close the case with' }, 'Say why the case should close');
    const values = { outcome: form.choice, reason: form.reason };
    let { errors } = form;
    if (!errors) {
      try {
        await this.api.requestClosure(staff.token, c.reference, values.outcome, values.reason);
        return res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}/closure-requests?done=asked`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [
          { id: 'outcome', apiNames: ['outcome'] },
          { id: 'reason', apiNames: ['reason'] },
        ]);
      }
    }
    res.status(400);
    await this.renderClosure(res, staff, c, values, errors, null);
  }

  @Post('closure-requests/:id')
  async decideClosure(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const decision = decisionOn(id, body, ['agree', 'refuse']);
    if (!decision) return res.status(404).render('pages/not-found');
    await this.api.decideClosure(staff.token, c.reference, id, decision === 'agree');
    res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}/closure-requests?done=${decision === 'agree' ? 'agreed' : 'refused'}`);
  }

  private async renderClosure(
    res: Response,
    staff: StaffSession,
    c: CaseDetail,
    values: Record<string, string>,
    errors: FormErrors | undefined,
    done: string | null | undefined,
  ) {
    const requests = await this.api.closureRequests(staff.token, c.reference);
    res.render('staff/closure-requests', {
      c,
      requests,
      values,
      errors,
      done,
      outcomes: CASE_OUTCOMES.map((o) => ({ value: o, text: CASE_OUTCOME_LABELS[o], checked: values['outcome'] === o })),
      outcomeLabels: CASE_OUTCOME_LABELS,
      // Only the case's overseer may answer; the API refuses anyone else (403), so the buttons show for
      // the oversight roles, who may be.
      mayAnswer: isOverseer(staff),
    });
  }

  /** The export: the API's OpenPGP message passed through as a download. */
  @Post('export')
  async export(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Body() _body: Form, @Res() res: Response) {
    const c = await this.requireCase(staff, reference);
    try {
      const file = await this.api.exportCase(staff.token, c.reference);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Disposition', file.contentDisposition ?? `attachment; filename="${c.reference}.zip.pgp"`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(file.body);
    } catch (error) {
      if (!(error instanceof ApiProblem) || ![400, 429].includes(error.status)) throw error;
      res.status(error.status).render('staff/export-refused', {
        c,
        section: 'cases',
        noKey: error.status === 400,
        retryMinutes: Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60)),
      });
    }
  }

  private async requireCase(staff: StaffSession, reference: string): Promise<CaseDetail> {
    if (!REFERENCE.test(reference)) throw new ApiProblem(404, ['There is no case with this reference.']);
    return this.api.getCase(staff.token, reference);
  }
}

/**
 * A form with one choice from a fixed list and a reason for it (naming who a concern involves, asking to
 * close a case): the values as sent and the problems with them, if any.
 */
function choiceWithReason(
  body: Form,
  choice: { name: string; allowed: readonly string[]; unchosen: string },
  noReason: string,
): { choice: string; reason: string; errors: FormErrors | undefined } {
  const picked = text(body, choice.name);
  const reason = text(body, 'reason');
  const problems: { id: string; text: string }[] = [];
  if (!choice.allowed.includes(picked)) problems.push({ id: choice.name, text: choice.unchosen });
  if (!reason) problems.push({ id: 'reason', text: noReason });
  else if (reason.length > 2000) problems.push({ id: 'reason', text: 'The reason must be 2,000 characters or fewer' });
  return { choice: picked, reason, errors: formErrors(problems) };
}

/** A decision on a request (a naming, a closure): one of `choices`, or null for a bad id or choice (404). */
function decisionOn(id: string, body: Form, choices: readonly string[]): string | null {
  const decision = text(body, 'decision');
  return /^[0-9a-f-]{36}$/i.test(id) && choices.includes(decision) ? decision : null;
}

function roleItems() {
  return ROLE_HOLDER_ROLES.map((role) => ({ value: role, text: STAFF_ROLE_LABELS[role] }));
}

