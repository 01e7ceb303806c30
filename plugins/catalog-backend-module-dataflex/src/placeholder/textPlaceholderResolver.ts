import fs from 'node:fs/promises';
import path from 'node:path';
import { JsonValue } from '@backstage/types';
import {
  PlaceholderResolverParams,
  processingResult,
} from '@backstage/plugin-catalog-node';

/**
 * `$text` that also works in entities read from `file` locations.
 *
 * The catalog's own `$text` only forms URLs, so `$text: ./openapi.yaml` fails
 * for a catalog-info.yaml registered as a file (backstage/backstage#14372).
 * For URL locations this resolver does what the built-in one does. For file
 * locations it reads the file relative to the descriptor, and only inside the
 * descriptor's folder, so a descriptor cannot pull in arbitrary local files.
 */
export async function textPlaceholderResolver(
  params: PlaceholderResolverParams,
): Promise<JsonValue> {
  const { key, value, baseUrl } = params;
  if (typeof value !== 'string') {
    throw new Error(
      `Placeholder $${key} expected a string value, got ${typeof value}`,
    );
  }
  if (!path.isAbsolute(baseUrl)) {
    const url = params.resolveUrl(value, baseUrl);
    const content = await params.read(url);
    params.emit(processingResult.refresh(`url:${url}`));
    return content.toString('utf-8');
  }

  const folder = path.dirname(baseUrl);
  const file = path.resolve(folder, value);
  if (!file.startsWith(`${folder}${path.sep}`)) {
    throw new Error(
      `Placeholder $${key} may only read files inside ${folder}, not ${value}`,
    );
  }
  try {
    return await fs.readFile(file, 'utf-8');
  } catch (error) {
    throw new Error(`Placeholder $${key} could not read ${value}: ${error}`);
  }
}
