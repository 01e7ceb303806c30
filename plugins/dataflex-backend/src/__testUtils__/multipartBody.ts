/** One part of a hand-made multipart body. */
export type MultipartPart =
  | { field: string; value: string }
  | {
      field: string;
      filename: string;
      content: Buffer | string;
      /** Send the name RFC 5987-encoded (`filename*=UTF-8''…`). */
      encodeFilename?: boolean;
    };

/**
 * Builds a multipart/form-data body byte by byte, for cases a form library
 * would refuse or repair (odd file names, text in the file field).
 */
export function multipartBody(parts: MultipartPart[]) {
  const boundary = '----dataflex-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = `form-data; name="${part.field}"`;
    if ('filename' in part) {
      disposition += part.encodeFilename
        ? `; filename*=UTF-8''${encodeURIComponent(part.filename)}`
        : `; filename="${part.filename}"`;
    }
    const type =
      'filename' in part ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`,
      ),
      Buffer.from('filename' in part ? part.content : part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat(chunks),
  };
}
