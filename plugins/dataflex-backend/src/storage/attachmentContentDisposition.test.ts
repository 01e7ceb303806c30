import { attachmentContentDisposition } from './attachmentContentDisposition';

describe('attachmentContentDisposition', () => {
  it('names a plain file as given', () => {
    expect(attachmentContentDisposition('sales-2024.csv')).toBe(
      `attachment; filename="sales-2024.csv"; filename*=UTF-8''sales-2024.csv`,
    );
  });

  it('keeps non-ASCII names exactly in filename* and approximates them in filename', () => {
    expect(attachmentContentDisposition('données été.csv')).toBe(
      `attachment; filename="donn_es _t_.csv"; filename*=UTF-8''donn%C3%A9es%20%C3%A9t%C3%A9.csv`,
    );
  });

  it('drops directories, quotes, control characters and header injection', () => {
    const header = attachmentContentDisposition(
      '..\\..\\etc/"passwd"\r\nSet-Cookie: a=b\u0000.txt',
    );
    expect(header).toBe(
      `attachment; filename="_passwd_Set-Cookie: a=b.txt"; filename*=UTF-8''%22passwd%22Set-Cookie%3A%20a%3Db.txt`,
    );
    // eslint-disable-next-line no-control-regex
    expect(header).not.toMatch(/[\r\n\u0000]/);
  });

  it('falls back to a neutral name when nothing usable is left', () => {
    for (const name of ['', '   ', '..', 'a/', '\u0001']) {
      expect(attachmentContentDisposition(name)).toBe(
        `attachment; filename="download"; filename*=UTF-8''download`,
      );
    }
  });

  it('escapes characters RFC 5987 reserves', () => {
    expect(attachmentContentDisposition("it's (1)*%.csv")).toBe(
      `attachment; filename="it's (1)*_.csv"; filename*=UTF-8''it%27s%20%281%29%2A%25.csv`,
    );
  });
});
