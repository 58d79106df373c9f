import { Test } from '@nestjs/testing';
import { DEFAULT_ATTACHMENT_POLICY, describePolicy } from './attachment-policy';
import { ATTACHMENT_POLICY, AttachmentSanitiser } from './attachment-sanitiser.service';
import { AttachmentsModule } from './attachments.module';
import { pngWithMetadata } from './testing/attachment-fixtures';

describe(AttachmentsModule.name, () => {
  it('provides the sanitiser with the default policy', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AttachmentsModule] }).compile();
    const sut = moduleRef.get(AttachmentSanitiser);

    expect(sut.describe()).toEqual(describePolicy(DEFAULT_ATTACHMENT_POLICY));
    const [result] = await sut.sanitiseAll([{ bytes: await pngWithMetadata(), declaredName: 'a.jpg' }]);
    expect(result).toMatchObject({ name: 'a.png', mediaType: 'image/png', strippedMetadata: true });
  });

  it('applies whatever policy it is given', async () => {
    const sut = new AttachmentSanitiser({ ...DEFAULT_ATTACHMENT_POLICY, maxFiles: 1 });
    const note = { bytes: Buffer.from('note'), declaredName: 'n.txt' };

    await expect(sut.sanitiseAll([note, note])).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(sut.sanitise(note, 2)).resolves.toMatchObject({ name: 'n.txt' });
    expect(ATTACHMENT_POLICY).toBeDefined();
  });
});
