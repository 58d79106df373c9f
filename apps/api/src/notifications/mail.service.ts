import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';

export const NOTICE_SUBJECT = 'Something for you in Nolan';

/**
 * E-mail to staff (docs/architecture.md "Notifications"): never any case content, category or reference —
 * only that there is something for them, and where to sign in. Reporters are never e-mailed.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = createTransport(config.smtpUrl);
  }

  /**
   * `date`: for a notice a reporter's action caused, the batch's time, so the Date header says no more
   * than the batch does (docs/architecture.md "Reporter time"); otherwise now.
   */
  async sendNotice(to: string, date?: Date): Promise<void> {
    await this.transport.sendMail({
      ...(date ? { date } : {}),
      from: this.config.mailFrom,
      to,
      subject: NOTICE_SUBJECT,
      text:
        'There is something for you in Nolan.\n\n' +
        // Staff sign-in, not the portal's start page, which is the reporters' way in.
        `Sign in to see it: ${this.config.portalUrl.replace(/\/+$/, '')}/staff/sign-in\n\n` +
        'This e-mail says nothing about what it is, on purpose.\n',
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
