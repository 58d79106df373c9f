import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRepository } from '../../outbox/outbox.repository';
import { CaseStoreService } from '../store/case-store.service';
import { packJson } from './item-codec';

/**
 * A message from staff to the reporter, in the report scope: a handler's reply, the first response on
 * acknowledgement, the notice that their identity was shared. The one place such a message is written,
 * with its outbox event, in the caller's transaction.
 */
@Injectable()
export class ReporterMessages {
  constructor(
    private readonly caseStore: CaseStoreService,
    private readonly outbox: OutboxRepository,
  ) {}

  async send(
    m: EntityManager,
    to: { tenantId: string; caseId: string; staffId: string },
    text: string,
  ): Promise<void> {
    await this.caseStore.addItem(
      m,
      {
        tenantId: to.tenantId,
        caseId: to.caseId,
        scope: 'report',
        kind: 'message',
        author: { kind: 'staff', id: to.staffId },
      },
      packJson({ text, attachments: [] }),
    );
    await this.outbox.add(m, {
      tenantId: to.tenantId,
      event: 'case.message_added',
      aggregateId: to.caseId,
      payload: { author: 'staff' },
    });
  }
}
