import { attachmentDisposition } from '../http/case-content.controller';
import { downloadName } from './case-files.service';

describe('download names', () => {
  it('keep only the last part of a path, which could name the person who sent it', () => {
    expect(downloadName('C:\\Users\\jsmith\\Desktop\\minutes.pdf')).toBe('minutes.pdf');
    expect(downloadName('../../etc/passwd')).toBe('passwd');
  });

  it('drop control and bidirectional characters, so "gpj.exe" cannot pass for a picture', () => {
    expect(downloadName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(downloadName('a\r\nContent-Type: text/html')).toBe('html');
  });

  it('replace quotes and reserved characters, never leave a hidden or empty name', () => {
    expect(downloadName('say "hi" <now>.txt')).toBe('say _hi_ _now_.txt');
    expect(downloadName('.htaccess')).toBe('htaccess');
    expect(downloadName('   ')).toBe('file');
    expect(downloadName('')).toBe('file');
  });
});

describe('Content-Disposition', () => {
  it('sends a plain ASCII name as it is', () => {
    expect(attachmentDisposition('minutes 2024.pdf')).toBe('attachment; filename="minutes 2024.pdf"');
  });

  it('sends any other name as an ASCII fallback and the exact UTF-8 name (RFC 8187)', () => {
    expect(attachmentDisposition('Protokoll März.pdf')).toBe(
      `attachment; filename="Protokoll Marz.pdf"; filename*=UTF-8''Protokoll%20M%C3%A4rz.pdf`,
    );
    expect(attachmentDisposition('100% (final).txt')).toBe(
      `attachment; filename="100_ (final).txt"; filename*=UTF-8''100%25%20%28final%29.txt`,
    );
    expect(attachmentDisposition('报告.txt')).toBe(
      `attachment; filename="__.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt`,
    );
  });
});
