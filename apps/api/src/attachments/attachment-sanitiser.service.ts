import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import {
  type AttachmentPolicy,
  type AttachmentPolicyDescription,
  describePolicy,
  STAFF_EVIDENCE_POLICY,
} from './attachment-policy';
import {
  type AttachmentInput,
  type SanitisedAttachment,
  sanitiseAll,
  sanitiseAttachment,
} from './attachment-sanitiser';

/** The policy in force. One for every council today; a per-tenant lookup will replace the value. */
export const ATTACHMENT_POLICY = Symbol('ATTACHMENT_POLICY');

/**
 * What intake and reporter messages call: the pure functions of attachment-sanitiser.ts bound to the
 * policy. Its methods match intake's FileSanitiser port, so the app module can bind that port to it.
 */
@Injectable()
export class AttachmentSanitiser {
  constructor(@Inject(ATTACHMENT_POLICY) private readonly policy: AttachmentPolicy) {
    // libvips otherwise keeps recent inputs and decoded results in memory between calls: evidence should
    // not outlive its request, and an upload server gains nothing from the cache. This is process-wide;
    // this module is sharp's only user.
    sharp.cache(false);
  }

  describe(): AttachmentPolicyDescription {
    return describePolicy(this.policy);
  }

  sanitise(file: AttachmentInput, position = 1): Promise<SanitisedAttachment> {
    return sanitiseAttachment(file, this.policy, position);
  }

  sanitiseAll(files: readonly AttachmentInput[]): Promise<SanitisedAttachment[]> {
    return sanitiseAll(files, this.policy);
  }

  /** Staff evidence: also Word (stripped) and e-mail (kept whole), attachment-policy.ts STAFF_EVIDENCE_POLICY. */
  sanitiseEvidence(files: readonly AttachmentInput[]): Promise<SanitisedAttachment[]> {
    return sanitiseAll(files, STAFF_EVIDENCE_POLICY);
  }
}
