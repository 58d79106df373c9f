import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DEFAULT_ATTACHMENT_POLICY } from './attachment-policy';
import { ATTACHMENT_POLICY, AttachmentSanitiser } from './attachment-sanitiser.service';
import { DEFAULT_UPLOAD_BUDGETS, UPLOAD_BUDGETS, uploadBudgets } from './upload-budget';

/**
 * The attachment policy and sanitiser, and what the upload interceptor (streamed-uploads.interceptor.ts)
 * needs in every module whose controllers use it: the policy and this process's upload budgets (one set
 * per process, as this module is instantiated once).
 */
@Module({
  providers: [
    { provide: ATTACHMENT_POLICY, useValue: DEFAULT_ATTACHMENT_POLICY },
    AttachmentSanitiser,
    {
      provide: UPLOAD_BUDGETS,
      // The configuration's figures; the defaults where the module is used without ConfigModule.
      inject: [{ token: APP_CONFIG, optional: true }],
      useFactory: (config?: AppConfig) => uploadBudgets(config ?? DEFAULT_UPLOAD_BUDGETS),
    },
  ],
  exports: [AttachmentSanitiser, ATTACHMENT_POLICY, UPLOAD_BUDGETS],
})
export class AttachmentsModule {}
