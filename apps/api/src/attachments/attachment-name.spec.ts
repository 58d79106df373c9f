import { displayName, MAX_NAME_LENGTH, nameForMessage } from './attachment-name';
import { ACCEPTED_TYPES } from './attachment-policy';

const { jpeg, png, pdf, text } = ACCEPTED_TYPES;

describe('displayName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(displayName('Site visit 12 March.jpg', jpeg, 1)).toBe('Site visit 12 March.jpg');
    expect(displayName('IMG_0042.JPEG', jpeg, 1)).toBe('IMG_0042.JPEG');
  });

  it('keeps only the last part of a path, whichever separator it uses', () => {
    expect(displayName('../../etc/passwd', text, 1)).toBe('passwd.txt');
    expect(displayName('C:\\Users\\jsmith\\Desktop\\invoice.pdf', pdf, 1)).toBe('invoice.pdf');
    expect(displayName('/home/jsmith/evidence/', pdf, 4)).toBe('evidence-4.pdf');
  });

  it('removes control characters and the bidirectional overrides that disguise extensions', () => {
    expect(displayName('inv\u0000oi\u001fce\u007f\u0085.pdf', pdf, 1)).toBe('invoice.pdf');
    expect(displayName('report\u202Efdp.exe', pdf, 1)).toBe('reportfdp.pdf');
    expect(displayName('a\u2066b\u2069c\u200Fd\nline.txt', text, 1)).toBe('abcd line.txt');
  });

  it('removes characters Windows refuses in file names', () => {
    expect(displayName('what: "the" <truth>? | *.pdf', pdf, 1)).toBe('what the truth.pdf');
  });

  it('corrects the extension to the type the bytes really are', () => {
    expect(displayName('x.pdf', png, 1)).toBe('x.png');
    expect(displayName('holiday.JPG', png, 1)).toBe('holiday.png');
    expect(displayName('statement.docx', pdf, 1)).toBe('statement.pdf');
    expect(displayName('notes', text, 1)).toBe('notes.txt');
    expect(displayName('figures.csv', text, 1)).toBe('figures.csv');
  });

  it('keeps a dotted part that is not a file extension', () => {
    expect(displayName('Minutes 12.03.2024', pdf, 1)).toBe('Minutes 12.03.2024.pdf');
  });

  it('leaves no leading or trailing dots', () => {
    expect(displayName('.hidden.png', png, 1)).toBe('hidden.png');
    expect(displayName('name. . .png', png, 1)).toBe('name.png');
  });

  it('trims a long name to 120 characters, keeping the extension', () => {
    const name = displayName(`${'a'.repeat(500)}.pdf`, pdf, 1);
    expect(name).toHaveLength(MAX_NAME_LENGTH);
    expect(name).toBe(`${'a'.repeat(116)}.pdf`);
  });

  it('never cuts a character outside the basic plane in half', () => {
    const name = displayName(`${'a📎'.repeat(100)}.pdf`, pdf, 1);
    expect(Array.from(name)).toHaveLength(MAX_NAME_LENGTH);
    expect(name).toBe(`${'a📎'.repeat(58)}.pdf`);
    expect(name).toBe(name.normalize('NFC'));
  });

  it('falls back to evidence-<n> when nothing usable remains', () => {
    for (const declared of ['', '..', '.pdf', '\u0000\u0001', '///', '_-_.png', '   ']) {
      expect(displayName(declared, png, 3)).toBe('evidence-3.png');
    }
  });
});

describe('nameForMessage', () => {
  it('shows the basename, cleaned, without correcting its extension', () => {
    expect(nameForMessage('C:\\Users\\jsmith\\holiday.jpg', 1)).toBe('holiday.jpg');
    expect(nameForMessage('bad\u0000\u202Ename.docx', 1)).toBe('badname.docx');
  });

  it('calls a file with no usable name by its position', () => {
    expect(nameForMessage('../', 2)).toBe('File 2');
  });
});
