import { Controller, Get, Render } from '@nestjs/common';

/** The service start page: what Nolan is, how anonymity works, and the other routes a worker has. */
@Controller()
export class StartController {
  @Get()
  @Render('pages/start')
  start() {
    return {};
  }

  // The reporter journey lands with the intake and portal issues (#5, #8); until then the start
  // button leads to an honest page with the other ways to raise a concern, not to a 404.
  @Get('report')
  @Render('pages/report-not-open')
  reportNotOpen() {
    return {};
  }
}
