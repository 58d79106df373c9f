/**
 * Links between related cases (issue #7 "Links": same subject, same pattern) without revealing one
 * reporter to another. A handler may link two cases only if they hold both; a link is shown on a case
 * only to someone who also holds the other case, and otherwise not at all — no count, no placeholder,
 * so nobody learns that a case they cannot see exists. Reporters never see links: nothing of a link
 * goes into the report scope. The handler's note is case content, encrypted to each case's internal
 * scope; the kind is workflow metadata. Linking and unlinking are audited on both cases (ids and the
 * kind only), and reading the notes is audited as a decryption.
 */
import { Injectable } from '@nestjs/common';
import { decryptWithScope, encryptToScope } from '@nolan/crypto';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseLinkEntity } from '../store/case-link.entity';
import { CaseEntity, CaseScopeKeyEntity } from '../store/case.entity';
import { CaseDoor, NO_SUCH_CASE, type OpenCase } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { packJson, unpackJson } from '../record/item-codec';

export const CASE_LINK_KINDS = ['same_subject', 'same_pattern'] as const;
export type CaseLinkKind = (typeof CASE_LINK_KINDS)[number];
/**
 * A link's kind as stored: also `duplicate`, which only closing a case as a duplicate makes (the case
 * whose outcome is duplicate is the copy; the other is the one it duplicates).
 */
export type StoredLinkKind = CaseLinkKind | 'duplicate';

const NO_SUCH_LINK = 'There is no such link on this case.';

export interface CaseLinkView {
  id: string;
  kind: StoredLinkKind;
  /** The other case's reference: only ever one the caller holds. */
  reference: string;
  /** The handler's note; null if the caller cannot read this case's internal scope. */
  note: string | null;
  linkedOn: string;
}

@Injectable()
export class LinksService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
  ) {}

  async link(
    staff: AuthenticatedStaff,
    reference: string,
    body: { reference: string; kind: CaseLinkKind; note: string },
  ): Promise<CaseLinkView> {
    const note = body.note.trim();
    if (!note) throw new AppError('INVALID_INPUT', ['note is required']);
    return this.door.open(staff, reference, { unlock: false }, async (opened) => {
      const { row, other } = await this.linkWithin(opened, body.reference, body.kind, note);
      return {
        id: row.id,
        kind: body.kind,
        reference: other.reference,
        note,
        linkedOn: toDate(row.createdOn),
      };
    });
  }

  /**
   * Links the opened case to the case `reference` inside the caller's transaction, audited on both;
   * the other case answers exactly as an unknown reference would unless the caller holds it. Closing
   * as a duplicate uses it too (transitions.service.ts), so a duplicate is linked like any other.
   */
  async linkWithin(
    opened: OpenCase,
    reference: string,
    kind: StoredLinkKind,
    note: string,
    /** Keep a link the two cases already have (of any kind) instead of refusing with 409. */
    keepExisting = false,
  ): Promise<{ row: CaseLinkEntity; other: CaseEntity }> {
    const { m, found: here, actor: session } = opened;
    // Both cases are written (a link row, an entry on each): both held before the first write.
    const other = await opened.otherToWrite(reference.trim().toUpperCase());
    if (!other) {
      throw new AppError(
        'NOT_FOUND',
        'There is no case with the reference to link to, or it is not one of your cases.',
      );
    }
    if (other.id === here.id) throw new AppError('INVALID_INPUT', ['A case cannot be linked to itself.']);
    const [a, b] = here.id < other.id ? [here, other] : [other, here];
    const existing = await m.getRepository(CaseLinkEntity).findOne({ where: { caseA: a.id, caseB: b.id } });
    if (existing && keepExisting) return { row: existing, other };
    if (existing) throw new AppError('CONFLICT', 'These cases are already linked.');
    const inserted = await m
      .getRepository(CaseLinkEntity)
      .createQueryBuilder()
      .insert()
      .values({
        tenantId: session.tenantId,
        caseA: a.id,
        caseB: b.id,
        kind,
        noteForA: Buffer.from(await this.encryptNote(m, a.id, note)),
        noteForB: Buffer.from(await this.encryptNote(m, b.id, note)),
        createdBy: session.userId,
      })
      .returning(['id'])
      .execute();
    const row = await m
      .getRepository(CaseLinkEntity)
      .findOneOrFail({ where: { id: (inserted.raw[0] as { id: string }).id } });
    for (const caseId of [here.id, other.id]) {
      await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId },
        {
          kind: 'linked',
          by: { origin: 'staff', staffId: session.userId },
          body: { linkId: row.id, kind },
          details: { linkId: row.id, kind },
        },
      );
    }
    return { row, other };
  }

  /** The links on a case that lead to cases the caller also holds; every other link is left out. */
  async list(staff: AuthenticatedStaff, reference: string): Promise<{ items: CaseLinkView[] }> {
    return this.door.open(staff, reference, { reads: true }, async (opened) => {
      const { m, found: here, actor: session } = opened;
      const links = await m
        .getRepository(CaseLinkEntity)
        .createQueryBuilder('l')
        .where('(l.case_a = :id OR l.case_b = :id)', { id: here.id })
        .orderBy('l.created_on', 'ASC')
        .addOrderBy('l.id', 'ASC')
        .getMany();
      const visible: { link: CaseLinkEntity; other: CaseEntity }[] = [];
      for (const link of links) {
        const otherId = link.caseA === here.id ? link.caseB : link.caseA;
        const other = await opened.otherById(otherId);
        if (other) visible.push({ link, other });
      }
      const scopeKey = visible.length ? await opened.key('internal') : null;
      const items: CaseLinkView[] = [];
      for (const { link, other } of visible) {
        const cipher = link.caseA === here.id ? link.noteForA : link.noteForB;
        const note = scopeKey
          ? unpackJson<{ note: string }>(await decryptWithScope(new Uint8Array(cipher), scopeKey)).note
          : null;
        items.push({
          id: link.id,
          kind: link.kind,
          reference: other.reference,
          note,
          linkedOn: toDate(link.createdOn),
        });
      }
      if (scopeKey && items.length > 0) {
        await this.recorder.trail(
          m,
          here.id,
          { origin: 'staff', staffId: session.userId },
          'case.content_decrypted',
          { scope: 'internal', items: items.length, what: 'link_notes' },
        );
      }
      return { items };
    });
  }

  /**
   * For other views of a case that mention links (the timeline, an export): whether `userId` may see
   * the link `linkId` on case `caseId` — it still exists, touches that case, and the user holds the
   * other case too. A removed link answers no. Whatever gets "no" must leave the link out entirely
   * (no "linked to a related case" line), so it hints at nothing.
   */
  async maySeeLink(m: EntityManager, userId: string, caseId: string, linkId: string): Promise<boolean> {
    const link = await m.getRepository(CaseLinkEntity).findOne({ where: { id: linkId } });
    if (!link || (link.caseA !== caseId && link.caseB !== caseId)) return false;
    return (await this.door.holdsCase(m, userId, link.caseA === caseId ? link.caseB : link.caseA)) !== null;
  }

  /** Removes a link; only someone who holds both cases may, and to anyone else it does not exist. */
  async unlink(staff: AuthenticatedStaff, reference: string, linkId: string): Promise<void> {
    await this.door.open(staff, reference, { unlock: false }, async (opened) => {
      const { m, found: here, actor: session } = opened;
      const link = await m.getRepository(CaseLinkEntity).findOne({ where: { id: linkId } });
      if (!link || (link.caseA !== here.id && link.caseB !== here.id))
        throw new AppError('NOT_FOUND', NO_SUCH_LINK);
      const otherId = link.caseA === here.id ? link.caseB : link.caseA;
      // Both cases are written (the link goes, an entry on each): both held before the first write.
      if (!(await opened.otherByIdToWrite(otherId))) throw new AppError('NOT_FOUND', NO_SUCH_LINK);
      const removed = await m.getRepository(CaseLinkEntity).delete({ id: link.id });
      // A link gone meanwhile is not removed by this request: neither timeline may say it was.
      if (!removed.affected) throw new AppError('NOT_FOUND', NO_SUCH_LINK);
      for (const caseId of [link.caseA, link.caseB]) {
        await this.recorder.record(
          m,
          { tenantId: session.tenantId, caseId },
          {
            kind: 'unlinked',
            by: { origin: 'staff', staffId: session.userId },
            body: { linkId: link.id, kind: link.kind },
            details: { linkId: link.id, kind: link.kind },
          },
        );
      }
    });
  }

  private async encryptNote(m: EntityManager, caseId: string, note: string): Promise<Uint8Array> {
    const scope = await m.getRepository(CaseScopeKeyEntity).findOne({ where: { caseId, scope: 'internal' } });
    // A case whose keys were destroyed (retention) has no grants either, so no one could be linking it.
    if (!scope) throw new AppError('NOT_FOUND', NO_SUCH_CASE);
    return encryptToScope(packJson({ note }), new Uint8Array(scope.publicKey));
  }
}

/** A `date` column as 'YYYY-MM-DD', however the driver hands it over. */
function toDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
