/**
 * The council's form, as the API defines it (GET /tenants/:slug/form), read on every page of the
 * journey. A copy is kept for a minute, and the last good copy is used if the API cannot be reached
 * for a moment, so a reporter half-way through is not turned away by a blip. Unknown councils are a 404.
 */
import { Injectable, NotFoundException } from '@nestjs/common';
import { ApiProblem, ApiUnavailable } from '../api/api-http';
import { type IntakeForm, ReporterApi } from '../api/reporter-api';

const FRESH_MS = 60_000;
/** A council's address: what the API's slugs look like, so nothing else is ever put in an API path. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function assertSlug(slug: string): void {
  if (!SLUG.test(slug)) throw new NotFoundException();
}

@Injectable()
export class CouncilForms {
  private readonly copies = new Map<string, { form: IntakeForm; at: number }>();

  constructor(private readonly api: ReporterApi) {}

  async get(slug: string): Promise<IntakeForm> {
    assertSlug(slug);
    const copy = this.copies.get(slug);
    if (copy && Date.now() - copy.at < FRESH_MS) return copy.form;
    try {
      const form = await this.api.form(slug);
      this.copies.set(slug, { form, at: Date.now() });
      return form;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) throw new NotFoundException();
      if (copy && error instanceof ApiUnavailable) return copy.form;
      throw error;
    }
  }
}
