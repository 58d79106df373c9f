import { Controller, Get, Inject, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';

/**
 * The service start page: what Nolan is, how anonymity works, and the other routes a worker has. It
 * leads into the default council's journey (the demo council); each council also has its own start
 * page at /report/:slug.
 */
@Controller()
export class StartController {
  constructor(@Inject(PORTAL_CONFIG) private readonly config: PortalConfig) {}

  @Get()
  @Render('pages/start')
  start() {
    const slug = this.config.defaultTenant;
    return { startHref: `/report/${slug}/concern`, followUpHref: `/report/${slug}/sign-in` };
  }

  /** The journey's first address, kept working. */
  @Get('report')
  report(@Res() res: Response): void {
    res.redirect(303, `/report/${this.config.defaultTenant}`);
  }
}
