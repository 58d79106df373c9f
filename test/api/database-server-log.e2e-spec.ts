/**
 * The database server's own log writes nothing about the API's sessions (docs/threat-model.md "Council
 * IT"): by default Postgres writes an error in a reporter's transaction at once, with
 * the millisecond and the statement, to a log the council's IT reads. Provisioning (`ensureAppRole`, run
 * by `cli migrate` and by this suite's global set-up) sets the API's role so that it does not.
 */
import { Client } from 'pg';
import { QUIET_SERVER_LOG } from '../../apps/api/src/database/provision';
import { TEST_ENV } from '../support/test-env';

describe('the database server’s log', () => {
  it('is kept quiet for the API’s role: no error, statement, slow statement or lock wait of its sessions', async () => {
    const app = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await app.connect();
    try {
      const shown: Record<string, string> = {};
      for (const [name] of QUIET_SERVER_LOG)
        shown[name] = (await app.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name]!;
      expect(shown).toEqual({
        log_min_messages: 'panic',
        log_min_error_statement: 'panic',
        log_min_duration_statement: '-1',
        log_statement: 'none',
        log_lock_waits: 'off',
      });
    } finally {
      await app.end();
    }
  });
});
