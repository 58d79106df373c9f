import { packFile, packJson, unpackFile, unpackJson } from './item-codec';

describe('case item codec', () => {
  it('round-trips JSON and files, names included', () => {
    expect(unpackJson(packJson({ a: 'é', b: [1] }))).toEqual({ a: 'é', b: [1] });
    const bytes = Buffer.from([0, 1, 2, 255]);
    const { header, bytes: out } = unpackFile(
      packFile({ name: 'invoice “7”.pdf', mediaType: 'application/pdf' }, bytes),
    );
    expect(header).toEqual({ name: 'invoice “7”.pdf', mediaType: 'application/pdf' });
    expect(out.equals(bytes)).toBe(true);
  });
});
