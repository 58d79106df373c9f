/**
 * Conflict routes (issue #8 "conflict routes"; docs/regulatory.md §3): where a concern about a statutory
 * officer goes instead of to them. The page shows the routes in force beside the defaults and the
 * preview the API works out with today's staff ("a concern about the monitoring officer reaches …");
 * each route has its own form, and the council's answer on the deputy's independence and "restore the
 * defaults" are forms of their own. Every change sends the whole set (PUT /admin/conflict-routes), null
 * when it is the defaults again; the API checks it and names every problem by path, which lands on the
 * route's field it is about. After a change the page is the API's answer, with what the change does to
 * existing cases (nothing: they are not moved).
 */
import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { AdminApi, type ConflictRoute, type ConflictRoutesView } from '../api/admin-api';
import { ApiProblem } from '../api/api-http';
import { formatDate } from '../staff/case-view';
import { type FormErrors, formErrors } from '../staff/form-errors';
import { CurrentStaff, StaffGuard } from '../staff/staff-guard';
import { StaffPageFilter } from '../staff/staff-page.filter';
import type { StaffSession } from '../staff/staff-session';
import { type Form, roleLabel, textField, withRoleNames } from './admin-forms';
import { AdministratorsOnly } from './administrators-only.guard';
import {
  describeRoles,
  isRemovable,
  isRouteSubject,
  LEAD_PLACES,
  leadId,
  previewSentence,
  ROUTE_SUBJECTS,
  routeChoices,
  routeErrors,
  routeFormValues,
  routeFromForm,
  type RouteFormValues,
  routesToSend,
  sameRoute,
  withRoute,
} from './conflict-route-form';

const PLACE_NAMES = ['First choice', 'Second choice', 'Third choice', 'Fourth choice', 'Fifth choice'];

function about(subject: string): string {
  const label = roleLabel(subject);
  return `A concern about the ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

/** The API's messages, all on one field (a form with one question). */
function onField(id: string, messages: readonly string[]): FormErrors | undefined {
  return formErrors(messages.map((text) => ({ id, text: withRoleNames(text) })));
}

@Controller('staff/admin/conflict-routes')
@UseGuards(StaffGuard, AdministratorsOnly)
@UseFilters(StaffPageFilter)
export class AdminConflictRoutesController {
  constructor(private readonly api: AdminApi) {}

  @Get()
  async overview(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    this.renderOverview(res, await this.api.conflictRoutes(staff.token), {});
  }

  @Post('deputy')
  async deputy(@CurrentStaff() staff: StaffSession, @Body() body: Form, @Res() res: Response) {
    const view = await this.api.conflictRoutes(staff.token);
    const answer = textField(body, 'deputyIndependent');
    if (answer !== 'yes' && answer !== 'no')
      return this.renderOverview(res.status(400), view, {
        errors: formErrors([
          {
            id: 'deputyIndependent',
            text: 'Select yes if the deputy monitoring officer is independent of the monitoring officer',
          },
        ]),
      });
    await this.save(
      res,
      staff,
      { deputyIndependent: answer === 'yes', routes: view.customised ? view.routes : null },
      (messages) =>
        this.renderOverview(res.status(400), view, { errors: onField('deputyIndependent', messages) }),
    );
  }

  @Post('restore')
  async restore(@CurrentStaff() staff: StaffSession, @Body() _body: Form, @Res() res: Response) {
    const view = await this.api.conflictRoutes(staff.token);
    await this.save(res, staff, { deputyIndependent: view.deputyIndependent, routes: null }, (messages) =>
      this.renderOverview(res.status(400), view, { errors: onField('routes-status', messages) }),
    );
  }

  @Get(':subject')
  async edit(@CurrentStaff() staff: StaffSession, @Param('subject') subject: string, @Res() res: Response) {
    const view = await this.api.conflictRoutes(staff.token);
    const s = this.checkSubject(subject);
    this.renderRoute(res, view, s, routeFormValues(view.routes[s] ?? view.defaults[s]), undefined);
  }

  @Post(':subject')
  async update(
    @CurrentStaff() staff: StaffSession,
    @Param('subject') subject: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const s = this.checkSubject(subject);
    const view = await this.api.conflictRoutes(staff.token);
    const { route, values, problems } = routeFromForm(body, s);
    if (problems.length) return this.renderRoute(res.status(400), view, s, values, formErrors(problems));
    const routes = routesToSend(withRoute(view.routes, s, route), view.defaults);
    await this.save(res, staff, { deputyIndependent: view.deputyIndependent, routes }, (messages) =>
      this.renderRoute(res.status(400), view, s, values, routeErrors(messages, s)),
    );
  }

  @Post(':subject/remove')
  async remove(
    @CurrentStaff() staff: StaffSession,
    @Param('subject') subject: string,
    @Body() _body: Form,
    @Res() res: Response,
  ) {
    const s = this.checkSubject(subject);
    if (!isRemovable(s)) throw new NotFoundException();
    const view = await this.api.conflictRoutes(staff.token);
    const routes = routesToSend(withRoute(view.routes, s, null), view.defaults);
    await this.save(res, staff, { deputyIndependent: view.deputyIndependent, routes }, (messages) =>
      this.renderRoute(res.status(400), view, s, routeFormValues(view.routes[s]), routeErrors(messages, s)),
    );
  }

  /** Sends the change; the overview with the API's answer, or `refused` with the API's messages on a 400. */
  private async save(
    res: Response,
    staff: StaffSession,
    body: Parameters<AdminApi['putConflictRoutes']>[1],
    refused: (messages: readonly string[]) => void,
  ) {
    try {
      this.renderOverview(res, await this.api.putConflictRoutes(staff.token, body), {});
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
      refused(error.messages);
    }
  }

  private renderOverview(res: Response, view: ConflictRoutesView, extra: { errors?: FormErrors }) {
    const subjects = ROUTE_SUBJECTS.filter((s) => view.routes[s]);
    res.render('admin/conflict-routes', {
      section: 'admin',
      view,
      updated: formatDate(view.updatedAt),
      routes: subjects.map((s) => {
        const route = view.routes[s] as ConflictRoute;
        const byDefault = view.defaults[s];
        return {
          subject: s,
          title: about(s),
          customised: !sameRoute(route, byDefault),
          parts: [
            {
              name: 'Leads',
              hint: 'who oversees the case instead, in order',
              now: describeRoles(route.leads, 'then'),
              before: byDefault && describeRoles(byDefault.leads, 'then'),
            },
            {
              name: 'Owners',
              hint: 'who also handles it',
              now: describeRoles(route.owners, 'and'),
              before: byDefault && describeRoles(byDefault.owners, 'and'),
            },
            {
              name: 'Notify',
              hint: 'who is told it exists',
              now: describeRoles(route.notify, 'and'),
              before: byDefault && describeRoles(byDefault.notify, 'and'),
            },
            {
              name: 'Excluded with them',
              hint: 'who is left out because they answer to them',
              now: describeRoles(route.excludedWithSubject, 'and'),
              before: byDefault && describeRoles(byDefault.excludedWithSubject, 'and'),
            },
          ],
        };
      }),
      addable: ROUTE_SUBJECTS.filter((s) => !view.routes[s]).map((s) => ({ subject: s, text: about(s) })),
      preview: view.preview.map(previewSentence),
      deputyItems: [
        {
          value: 'yes',
          text: 'Yes',
          hint: { text: 'The deputy may act on a concern about the monitoring officer' },
          checked: view.deputyIndependent,
        },
        {
          value: 'no',
          text: 'No',
          hint: { text: 'The deputy is left out of it, with the monitoring officer' },
          checked: !view.deputyIndependent,
        },
      ],
      notice: view.notice,
      errors: extra.errors,
    });
  }

  private renderRoute(
    res: Response,
    view: ConflictRoutesView,
    subject: string,
    values: RouteFormValues,
    errors: FormErrors | undefined,
  ) {
    const choices = routeChoices(subject);
    const items = (part: 'owners' | 'notify' | 'excludedWithSubject') =>
      choices[part].map((role) => ({
        value: role,
        text: roleLabel(role),
        checked: values[part].includes(role),
      }));
    const byDefault = view.defaults[subject];
    res.render('admin/conflict-route', {
      section: 'admin',
      subject,
      title: about(subject),
      exists: Boolean(view.routes[subject]),
      removable: isRemovable(subject) && Boolean(view.routes[subject]),
      byDefault: byDefault && {
        leads: describeRoles(byDefault.leads, 'then'),
        owners: describeRoles(byDefault.owners, 'and'),
        notify: describeRoles(byDefault.notify, 'and'),
        excludedWithSubject: describeRoles(byDefault.excludedWithSubject, 'and'),
      },
      leadSelects: Array.from({ length: LEAD_PLACES }, (_, i) => ({
        id: leadId(i + 1),
        label: PLACE_NAMES[i],
        items: [
          { value: '', text: i === 0 ? 'Choose a role' : 'Nobody else' },
          ...choices.leads.map((role) => ({ value: role, text: roleLabel(role) })),
        ].map((item) => ({ ...item, selected: (values.leads[i] ?? '') === item.value })),
      })),
      ownerItems: items('owners'),
      notifyItems: items('notify'),
      excludedItems: items('excludedWithSubject'),
      deputyIndependent: view.deputyIndependent,
      errors,
    });
  }

  private checkSubject(subject: string): string {
    if (!isRouteSubject(subject)) throw new NotFoundException();
    return subject;
  }
}
