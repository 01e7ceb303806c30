/**
 * A `Content-Disposition: attachment` header value for a file name chosen by
 * a user. Path components and control characters are dropped so the name can
 * neither break the header nor suggest a directory; an ASCII fallback is
 * given in `filename` and the exact name in `filename*` (RFC 6266).
 */
export function attachmentContentDisposition(filename: string): string {
  const name =
    filename
      .split(/[\\/]/)
      .pop()!
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .trim()
      .replace(/^\.+$/, '') || 'download';
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
