import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { cli } from '../support/cli';

describe('operator commands', () => {
  let app: INestApplication;
  const slug = `cli-${Date.now().toString(36)}`;

  beforeAll(async () => {
    app = await startApi();
  });
  afterAll(() => app.close());

  it('creates a tenant, printing its escrow recovery passphrase once', () => {
    const run = cli(['tenant:create', '--slug', slug, '--name', 'Test Borough Council']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`tenant "Test Borough Council" created (slug ${slug})`);
    expect(run.stdout).toMatch(/escrow recovery passphrase \(shown once.*\): [A-Z2-9]{4}(-[A-Z2-9]{4}){7}\n/);
    const again = cli(['tenant:create', '--slug', slug, '--name', 'Again']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`nolan tenant:create: a tenant "${slug}" already exists\n`);
  });

  it('creates a user who must set up two-factor sign-in first, and resets two-factor', async () => {
    const run = cli([
      'user:create',
      '--tenant',
      slug,
      '--email',
      'New.Investigator@Example.org',
      '--name',
      'Nia New',
      '--roles',
      'investigator,safeguarding_lead',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('user new.investigator@example.org created in');
    expect(run.stdout).toContain('with roles investigator, safeguarding_lead');
    const password = /temporary password \(shown once\): (\S+)/.exec(run.stdout)?.[1] as string;
    const signIn = await request(app.getHttpServer())
      .post(`/api/v1/tenants/${slug}/sessions`)
      .send({ email: 'new.investigator@example.org', password })
      .expect(201);
    expect(signIn.body.scope).toBe('totp_enrolment');
    expect(cli(['user:reset-2fa', '--tenant', slug, '--email', 'new.investigator@example.org']).status).toBe(
      0,
    );
  });

  it('names every mistake in one line and exits non-zero, without a stack trace', () => {
    const cases: [string[], string][] = [
      [
        ['user:create', '--tenant', slug, '--email', 'x@example.org', '--name', 'X', '--roles', 'overlord'],
        'unknown role(s) overlord',
      ],
      [
        [
          'user:create',
          '--tenant',
          'nowhere',
          '--email',
          'x@example.org',
          '--name',
          'X',
          '--roles',
          'investigator',
        ],
        'no tenant with slug "nowhere"',
      ],
      [['user:create', '--tenant', slug, '--email', 'x@example.org'], '--name, --roles are required'],
      [
        ['tenant:create', '--slug', 'Bad Slug!', '--name', 'X'],
        'slug must be 2–63 lower-case letters, digits or hyphens',
      ],
      [['tenant:create', '--colour', 'red'], 'unknown option "--colour"'],
      [['user:reset-2fa', '--tenant', slug, '--email', 'ghost@example.org'], 'no user ghost@example.org'],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(message);
    }
    const unknown = cli(['launch-missiles']);
    expect(unknown.status).toBe(2);
  });
});
