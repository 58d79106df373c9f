import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';
import { CouncilForms } from '../reporter/council-forms.service';

/**
 * The service start page: what Nolan is, how anonymity works, and the other routes a worker has. It
 * leads into the default council's journey (the demo council) and names that council; each council
 * also has its own start page at /report/:slug.
 */
@Controller()
export class StartController {
  constructor(
    @Inject(PORTAL_CONFIG) private readonly config: PortalConfig,
    private readonly forms: CouncilForms,
  ) {}

  @Get()
  async start(@Res() res: Response): Promise<void> {
    const slug = this.config.defaultTenant;
    // The page must still be shown when the API is away or the default council is not set up: it
    // then says "your council" and its button leads to the page that explains what is wrong.
    const council = await this.forms.get(slug).then(
      (form) => form.tenant.name,
      () => undefined,
    );
    res.render('pages/start', {
      council,
      startHref: `/report/${slug}/concern`,
      followUpHref: `/report/${slug}/sign-in`,
    });
  }

  /** The journey's first address, kept working. */
  @Get('report')
  report(@Res() res: Response): void {
    res.redirect(303, `/report/${this.config.defaultTenant}`);
  }
}
