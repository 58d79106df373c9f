/**
 * A report's mode is a keyed tag (docs/threat-model.md "A report's mode is a keyed tag"; docs/dashboard.md
 * "Reports by mode"): intake writes, for every new case, web or recorded by a handler, HMAC-SHA256 under
 * a key derived from MODE_TAG_SECRET (which only the API holds) over the council, the case and the
 * mode. In a copy of the database an anonymous and an identified report show tags of the same length and
 * no mode word; with that key each tag gives its mode back, and with the receipt pepper's none does.
 */
import { modeOfTag, modeTagKey } from '@nolan/crypto';
import { CaseWorld } from '../support/case-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(180_000);

const ANSWERS = { whatHappened: 'Something happened', howYouKnow: 'saw_it', raisedBefore: 'no' };

describe('mode tags', () => {
  let world: CaseWorld;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    world = await CaseWorld.start('modetag', { mo: ['monitoring_officer'] });
    refs['anonymous'] = (await world.submit({ category: 'fraud_theft', answers: ANSWERS })).reference;
    refs['identified'] = (
      await world.submit({
        category: 'fraud_theft',
        answers: ANSWERS,
        identity: { name: 'Pat Example', contact: 'pat@example.org' },
      })
    ).reference;
    refs['open'] = (
      await world.submit({
        category: 'fraud_theft',
        answers: ANSWERS,
        identity: { name: 'Lee Open', named: 'yes' },
      })
    ).reference;
    // Agreeing to be named without saying who you are is still anonymous.
    refs['namedNobody'] = (
      await world.submit({ category: 'fraud_theft', answers: ANSWERS, identity: { named: 'yes' } })
    ).reference;
    const inPerson = await world
      .as('mo')
      .post('/cases', {
        channel: 'in_person',
        submission: {
          category: 'fraud_theft',
          answers: ANSWERS,
          identity: { jobTitle: 'Planning officer', named: 'yes' },
        },
      })
      .expect(201);
    refs['inPersonOpen'] = inPerson.body.reference;
    const phone = await world
      .as('mo')
      .post('/cases', {
        channel: 'phone',
        submission: { category: 'fraud_theft', answers: ANSWERS, identity: { name: 'Sam Caller' } },
      })
      .expect(201);
    refs['phoneIdentified'] = phone.body.reference;
    const post = await world
      .as('mo')
      .post('/cases', { channel: 'post', submission: { category: 'fraud_theft', answers: ANSWERS } })
      .expect(201);
    refs['postAnonymous'] = post.body.reference;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('shows tags of one length and no mode in a dump, and gives the mode back only with MODE_TAG_SECRET’s key, never the pepper’s', async () => {
    const rows = await world.query<{
      reference: string;
      id: string;
      tenant_id: string;
      tag: Buffer;
      dump: string;
    }>(
      `SELECT c.reference, c.id, c.tenant_id, c.mode_tag AS tag, row_to_json(c)::text AS dump
         FROM cases c WHERE c.reference = ANY ($1)`,
      [Object.values(refs)],
    );
    expect(rows).toHaveLength(7);
    const byRef = new Map(rows.map((r) => [r.reference, r]));
    for (const r of rows) {
      expect(r.tag).toBeInstanceOf(Buffer);
      expect(r.tag.length).toBe(32);
      // Nothing in the readable row says which mode (the words, or a column of its own).
      expect(r.dump).not.toMatch(/anonymous|confidential|identified|"mode"/i);
      expect(Object.values(JSON.parse(r.dump) as Record<string, unknown>).join(' ')).not.toMatch(
        /open|named/i,
      );
    }
    // Same columns, same lengths: the row of an anonymous report and an identified one look alike.
    const shape = (dump: string) =>
      Object.entries(JSON.parse(dump) as Record<string, unknown>)
        .filter(([k]) => k === 'mode_tag')
        .map(([k, v]) => [k, String(v).length]);
    expect(shape(byRef.get(refs['anonymous']!)!.dump)).toEqual(shape(byRef.get(refs['identified']!)!.dump));
    expect(shape(byRef.get(refs['open']!)!.dump)).toEqual(shape(byRef.get(refs['anonymous']!)!.dump));

    const key = modeTagKey(TEST_ENV.MODE_TAG_SECRET);
    const mode = (name: string) => {
      const r = byRef.get(refs[name]!)!;
      return modeOfTag(key, r.tenant_id, r.id, r.tag);
    };
    expect(mode('anonymous')).toBe('anonymous');
    expect(mode('identified')).toBe('confidential');
    expect(mode('phoneIdentified')).toBe('confidential');
    expect(mode('postAnonymous')).toBe('anonymous');
    expect(mode('open')).toBe('open');
    expect(mode('inPersonOpen')).toBe('open');
    expect(mode('namedNobody')).toBe('anonymous');
    // Without MODE_TAG_SECRET no tag matches any mode: not with another secret, nor with the receipt
    // pepper, which the workers and migrations hold too (docs/threat-model.md "A report's mode is a keyed tag").
    const other = modeTagKey('not the council secret, but long enough');
    const fromPepper = modeTagKey(TEST_ENV.RECEIPT_PEPPER);
    for (const r of rows) {
      expect(modeOfTag(other, r.tenant_id, r.id, r.tag)).toBeNull();
      expect(modeOfTag(fromPepper, r.tenant_id, r.id, r.tag)).toBeNull();
    }
    // Only a 32-byte tag can be stored.
    await expect(
      world.query(`UPDATE cases SET mode_tag = '\\x00'::bytea WHERE reference = $1`, [refs['anonymous']]),
    ).rejects.toThrow(/cases_mode_tag_length_check/);
  });
});
