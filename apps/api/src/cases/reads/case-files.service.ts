/**
 * Downloading a case's files (issue #7): a file is an `attachment` item, its name and type encrypted
 * with its bytes, in the scope it was added to — the reporter's files and a handler's replies in the
 * `report` scope, evidence in the `internal` scope. A staff user gets a file only while holding a grant
 * for the case and for that file's scope; the reporter only their own case's report-scope files. Anyone
 * else gets the same 404 as for a file that does not exist, so ids reveal nothing. Every download is a
 * decryption and is audited as one (the reporter's to the hour, like all their actions).
 */
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { openGrantAsKey, type Scope, type UnlockedKey } from '@nolan/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CaseRecorder } from '../record/case-recorder';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { inTenant } from '../../database/tenant-transaction';
import { AppError } from '../../errors/app-error';
import { readFile } from '../record/case-content';
import { CaseGrantEntity, CaseItemEntity } from '../store/case.entity';
import { ReporterTime } from '../../reporter-time/reporter-time';
import { visibleItemsWhere } from '../../reporter-time/visibility';
import { CaseDoor } from '../access/case-door';

export const NO_SUCH_FILE = 'There is no file with this id on this case.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A decrypted file, ready to send. */
export interface DownloadedFile {
  name: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * The name to send in Content-Disposition. Names were made safe when the file was stored (attachment-
 * name.ts); this is the last line of defence for anything stored before that or by another path: no
 * path, no control or bidi characters, no quotes, never empty.
 */
export function downloadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 120);
  return cleaned || 'file';
}

@Injectable()
export class CaseFilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
    /** ReporterTime is global (ReporterTimeModule); a unit test's module may leave it out. */
    @Optional() private readonly reporterTime?: ReporterTime,
  ) {}

  /** A file of a case, for a grant holder of the case and of the file's scope. */
  async forStaff(staff: AuthenticatedStaff, reference: string, fileId: string): Promise<DownloadedFile> {
    return this.door.open(
      staff,
      reference,
      { roles: 'handler', reads: true },
      async ({ m, found, actor: session, key }) => {
        // Staff see a reporter's file only from its batch's release (reporter-time/visibility.ts).
        const item = await fileItem(m, found.id, fileId, this.reporterTime?.now() ?? new Date());
        const scopeKey = item && (await key(item.scope as Scope));
        if (!item || !scopeKey) throw new AppError('NOT_FOUND', NO_SUCH_FILE);
        const file = await decrypt(item, scopeKey);
        await this.recorder.trail(
          m,
          found.id,
          { origin: 'staff', staffId: session.userId },
          'case.content_decrypted',
          { scope: item.scope, itemId: item.id, purpose: 'download' },
        );
        return file;
      },
    );
  }

  /**
   * A file of the reporter's own case, in the report scope (theirs and the handlers' replies), opened
   * with the reporter's key from their receipt session.
   */
  async forReporter(
    session: { tenantId: string; caseId: string },
    reporterKey: UnlockedKey,
    fileId: string,
  ): Promise<DownloadedFile> {
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const item = await fileItem(m, session.caseId, fileId);
      if (!item || item.scope !== 'report') throw new AppError('NOT_FOUND', NO_SUCH_FILE);
      const grant = await m
        .getRepository(CaseGrantEntity)
        .findOne({ where: { caseId: session.caseId, scope: 'report', granteeKind: 'reporter' } });
      if (!grant) throw new AppError('NOT_FOUND', NO_SUCH_FILE);
      const file = await decrypt(
        item,
        await openGrantAsKey(new Uint8Array(grant.encryptedScopeKey), reporterKey),
      );
      await this.recorder.trail(m, session.caseId, { origin: 'reporter' }, 'case.content_decrypted', {
        scope: 'report',
        itemId: item.id,
        purpose: 'download',
      });
      return file;
    });
  }
}

function fileItem(
  m: EntityManager,
  caseId: string,
  fileId: string,
  visibleAt?: Date,
): Promise<CaseItemEntity | null> | null {
  if (!UUID.test(fileId)) return null;
  const where = { id: fileId, caseId, kind: 'attachment' };
  return m
    .getRepository(CaseItemEntity)
    .findOne({ where: visibleAt ? visibleItemsWhere(where, visibleAt) : where });
}

async function decrypt(item: CaseItemEntity, scopeKey: UnlockedKey): Promise<DownloadedFile> {
  const { header, bytes } = await readFile(item, scopeKey);
  return { name: downloadName(header.name), mediaType: header.mediaType, bytes };
}
