/**
 * A real SMTP server for tests (smtp-server), keeping every message it accepts. A message counts as
 * sent only once the server answers 250, as for a real mail server: `hold` lets a test keep a message
 * waiting before that answer (an SMTP server that stalls), so a worker can be caught mid-send.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  raw: string;
}

export interface SmtpCatcherOptions {
  /** Return true to leave this message unanswered (never accepted, never listed in `mails`). */
  hold?: (to: string[]) => boolean;
}

export async function startSmtpCatcher(options: SmtpCatcherOptions = {}): Promise<{
  url: string;
  mails: CaughtMail[];
  /** Messages left waiting by `hold`: received, never answered, not delivered. */
  held: CaughtMail[];
  close: () => Promise<void>;
}> {
  const mails: CaughtMail[] = [];
  const held: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Held conversations would otherwise keep close() waiting for 30 s.
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        if (options.hold?.(mail.to)) {
          held.push(mail);
          return;
        }
        mails.push(mail);
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its socket; that is the point of `hold`, not an error.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    held,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
