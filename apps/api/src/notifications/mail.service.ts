import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';

export const NOTICE_SUBJECT = 'Something for you in Nolan';
export const ACCOUNT_NOTICE_SUBJECT = 'Your Nolan account was reset';

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

  /**
   * What was done to someone's account, to them alone (issue #15): that it happened, never by whom or why,
   * and whom to tell if it was not them.
   */
  async sendAccountNotice(to: string, kind: 'two_factor_reset' | 'recovered'): Promise<void> {
    await this.transport.sendMail({
      from: this.config.mailFrom,
      to,
      subject: ACCOUNT_NOTICE_SUBJECT,
      text:
        (kind === 'two_factor_reset'
          ? 'Your Nolan account was reset: two-factor sign-in will be set up again at your next sign-in.\n\n'
          : 'Your Nolan account was recovered: it has a new password, sent to you in a separate e-mail.\n\n') +
        'If this was not you, or you did not ask for it, tell the monitoring officer at once.\n',
    });
  }

  /**
   * A recovered account's temporary password, to the person only: whoever ran the recovery never sees it
   * (issue #15). It opens nothing but choosing their own password, with their own two-factor code.
   */
  async sendTemporaryPassword(to: string, temporaryPassword: string): Promise<void> {
    await this.transport.sendMail({
      from: this.config.mailFrom,
      to,
      subject: 'Your new Nolan password',
      text:
        'Your Nolan account was recovered. Sign in with this temporary password:\n\n' +
        `temporary password: ${temporaryPassword}\n\n` +
        `${this.config.portalUrl.replace(/\/+$/, '')}/staff/sign-in\n\n` +
        'You will choose your own password straight away. If you did not ask for this, tell the monitoring officer at once.\n',
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
