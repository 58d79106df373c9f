/**
 * A stored setting that no longer passes its check (a council's SLA policy, its conflict routes, edited by
 * hand in the database) is read by every report's intake, which falls back to the defaults. Its warning
 * must not be written at the report's moment: a log line carries the millisecond, and matched against a
 * proxy log one line per report would time each submission (docs/architecture.md "Reporter time"). So it
 * is counted and written at the turn of the hour, with the hour and the count (docs/abuse-resistance.md
 * "What an error's log line holds").
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { slaSettingsWarnings } from '../../apps/api/src/tenants/tenant-sla';
import { routingSettingsWarnings } from '../../apps/api/src/tenants/tenant-routing';
import { startApiCapturingLogs } from '../support/api-app';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const HOUR = 3_600_000;
const WARNINGS = /Stored SLA policy is invalid|Stored conflict routes are invalid/;

describe('a bad stored setting, read by every report', () => {
  let app: INestApplication;
  let lines: string[];
  let fixtures: StaffFixtures;
  /** The tables' owner, as a DBA editing a row by hand. */
  const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });

  beforeAll(async () => {
    // As in production: warnings and errors are logged (the suites' default level writes nothing).
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
    try {
      ({ app, lines } = await startApiCapturingLogs());
    } finally {
      process.env.LOG_LEVEL = level;
    }
    fixtures = await StaffFixtures.open();
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await fixtures.close();
    await app.close();
  });

  it('is written as a count at the turn of the hour, never at a report’s moment', async () => {
    const tenant = await fixtures.tenant('bad-settings');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    await owner.query(
      `INSERT INTO tenant_sla_settings (tenant_id, policy) VALUES ($1, '{"acknowledge": "never"}')`,
      [tenant.id],
    );
    await owner.query(
      `INSERT INTO tenant_routing_settings (tenant_id, conflict_routes) VALUES ($1, '{"bad": 1}')`,
      [tenant.id],
    );
    const server = app.getHttpServer();
    for (let i = 0; i < 2; i += 1) {
      await request(server)
        .post(`/api/v1/tenants/${tenant.slug}/reports`)
        .send({
          category: 'fraud_theft',
          answers: { whatHappened: `Claims paid twice (${i})`, howYouKnow: 'saw_it', raisedBefore: 'no' },
          altcha: await solvedAltcha(server, tenant.slug),
        })
        .expect(201);
    }
    // Both reports were taken, with the defaults, and nothing was written at their moment (the log
    // is on: it holds the API's start-up lines).
    expect(lines.filter((line) => WARNINGS.test(line))).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    expect(slaSettingsWarnings.pending).toBeGreaterThanOrEqual(2);
    expect(routingSettingsWarnings.pending).toBeGreaterThanOrEqual(2);

    // The turn of the hour (brought forward here): one line each, the council, the count and the hour.
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR).toISOString();
    slaSettingsWarnings.flush();
    routingSettingsWarnings.flush();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the log stream hands lines on asynchronously
    const written = lines.filter((line) => WARNINGS.test(line)).map((line) => JSON.parse(line));
    expect(written).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: expect.stringMatching(/^Stored SLA policy is invalid/),
          tenantId: tenant.id,
          hour,
        }),
        expect.objectContaining({
          msg: expect.stringMatching(/^Stored conflict routes are invalid/),
          tenantId: tenant.id,
          hour,
        }),
      ]),
    );
    for (const line of written) expect(line.count).toBeGreaterThanOrEqual(2);
  });
});
