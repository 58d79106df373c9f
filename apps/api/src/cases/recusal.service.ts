/**
 * A handler recusing themselves from a case (issue #7; regulatory.md §3 "Investigator (assigned, then
 * conflict discovered)"): their grants go at once, so the case vanishes for them (404, absent from
 * lists and counts), and the case is re-routed by the domain's routing without them. They still hold
 * the scope keys at that moment, so they grant them onward to whoever routing now adds before their
 * own grants are deleted — nobody needs the escrow passphrase for it. All of it in one transaction,
 * audited; the reason is encrypted to the internal scope.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { openGrantAsKey, PublicKeyHandle, regrant } from '@nolan/crypto';
import { type CategoryId, routeCase, type StaffRole } from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SessionStore } from '../auth/session-store';
import type { AuthenticatedStaff } from '../auth/staff-auth.guard';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import { readReportScope } from './case-content';
import { CaseEntity, CaseExclusionEntity, CaseGrantEntity } from './case.entity';
import { CaseStoreService } from './case-store.service';
import { CasesRepository } from './cases.repository';
import { NO_SUCH_CASE } from './cases.service';
import { packJson } from './item-codec';

@Injectable()
export class RecusalService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CasesRepository,
    private readonly caseStore: CaseStoreService,
    private readonly users: StaffUsersRepository,
    private readonly sessions: SessionStore,
    private readonly audit: AuditService,
  ) {}

  async recuse(staff: AuthenticatedStaff, reference: string, reason: string) {
    const { session } = staff;
    const key = await this.sessions.unlockedKey(staff);
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const found = await this.cases.findGrantedByReference(m, session.userId, reference);
      if (!found || session.roles.includes('administrator')) throw new AppError('NOT_FOUND', NO_SUCH_CASE);
      const mine = (await this.cases.staffGrants(m, session.userId)).filter((g) => g.caseId === found.id);
      const reportGrant = mine.find((g) => g.scope === 'report');
      if (!reportGrant)
        throw new AppError(
          'CONFLICT',
          'Only a handler who can read the report can recuse and pass the case on.',
        );

      // Who routing now chooses, with everyone excluded so far and this user too.
      const reportKey = await openGrantAsKey(new Uint8Array(reportGrant.encryptedScopeKey), key);
      const content = await readReportScope(
        (await this.cases.items(m, found.id, 'report')).filter((i) => i.kind === 'report'),
        reportKey,
      );
      const involves = ((content.report as { involves?: StaffRole[] } | null)?.involves ?? []) as StaffRole[];
      const excluded = (await m.getRepository(CaseExclusionEntity).find({ where: { caseId: found.id } })).map(
        (e) => e.userId,
      );
      const holders = await this.users.roleHolders(m);
      const decision = routeCase({
        category: found.category as CategoryId,
        involvedRoles: involves,
        involvedUserIds: [],
        recusedUserIds: [...excluded, session.userId],
        roleHolders: holders.map(({ userId, roles }) => ({ userId, roles })),
      });
      const granted = await m
        .getRepository(CaseGrantEntity)
        .find({ where: { caseId: found.id, granteeKind: 'staff' } });
      const added: string[] = [];
      if (decision.kind === 'routed') {
        const targets = new Set([...decision.owners.map((r) => r.userId), decision.overseer.userId]);
        const keyOf = new Map(holders.map((h) => [h.userId, h.publicKey]));
        for (const userId of targets) {
          for (const grant of mine) {
            if (grant.scope === 'identity' && userId !== decision.overseer.userId) continue;
            if (granted.some((g) => g.granteeId === userId && g.scope === grant.scope)) continue;
            const newGrantee = await PublicKeyHandle.parse(keyOf.get(userId) as string);
            await m.getRepository(CaseGrantEntity).insert({
              tenantId: session.tenantId,
              caseId: found.id,
              scope: grant.scope,
              granteeKind: 'staff',
              granteeId: userId,
              encryptedScopeKey: Buffer.from(
                await regrant(new Uint8Array(grant.encryptedScopeKey), key, newGrantee),
              ),
            });
            await this.audit.append(m, {
              actor: { type: 'staff', id: session.userId },
              action: 'grant.created',
              caseId: found.id,
              details: { scope: grant.scope, granteeId: userId, via: 'recusal' },
            });
            if (!added.includes(userId)) added.push(userId);
          }
        }
      }
      for (const grant of mine) {
        await m.getRepository(CaseGrantEntity).delete({ id: grant.id });
        await this.audit.append(m, {
          actor: { type: 'staff', id: session.userId },
          action: 'grant.revoked',
          caseId: found.id,
          details: { scope: grant.scope, granteeId: session.userId, via: 'recusal' },
        });
      }
      await m
        .getRepository(CaseExclusionEntity)
        .insert({ tenantId: session.tenantId, caseId: found.id, userId: session.userId, kind: 'recused' });
      await this.caseStore.addItem(
        m,
        {
          tenantId: session.tenantId,
          caseId: found.id,
          scope: 'internal',
          kind: 'recusal',
          author: { kind: 'staff', id: session.userId },
        },
        packJson({ reason }),
      );
      const remaining = await m
        .getRepository(CaseGrantEntity)
        .count({ where: { caseId: found.id, granteeKind: 'staff' } });
      if (remaining === 0)
        await m.getRepository(CaseEntity).update({ id: found.id }, { routing: 'no_eligible_recipient' });
      return { recused: true, passedTo: added.length, unrouted: remaining === 0 };
    });
  }
}
