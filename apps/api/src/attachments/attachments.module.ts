import { Module } from '@nestjs/common';
import { DEFAULT_ATTACHMENT_POLICY } from './attachment-policy';
import { ATTACHMENT_POLICY, AttachmentSanitiser } from './attachment-sanitiser.service';

@Module({
  providers: [{ provide: ATTACHMENT_POLICY, useValue: DEFAULT_ATTACHMENT_POLICY }, AttachmentSanitiser],
  exports: [AttachmentSanitiser],
})
export class AttachmentsModule {}
