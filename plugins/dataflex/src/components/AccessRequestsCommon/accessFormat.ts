import { parseEntityRef } from '@backstage/catalog-model';
import {
  AccessGrant,
  AccessRequest,
  DatasetRefParts,
} from '@dataflex/backstage-plugin-dataflex-common';

/** "version 2" or "version 2 and later", as a request asks. */
export function describeRequestScope(
  request: Pick<AccessRequest, 'scope' | 'version'>,
): string {
  return request.scope === 'version'
    ? `version ${request.version}`
    : `version ${request.version} and later`;
}

/** "version 2", "versions 2 to 4" or "version 2 and later". */
export function describeGrantScope(
  grant: Pick<AccessGrant, 'fromVersion' | 'toVersion'>,
): string {
  if (grant.toVersion === undefined) {
    return `version ${grant.fromVersion} and later`;
  }
  return grant.toVersion === grant.fromVersion
    ? `version ${grant.fromVersion}`
    : `versions ${grant.fromVersion} to ${grant.toVersion}`;
}

/** Whether a grant covers a version. */
export function grantCovers(
  grant: Pick<AccessGrant, 'fromVersion' | 'toVersion'>,
  version: number,
): boolean {
  return (
    version >= grant.fromVersion &&
    (grant.toVersion === undefined || version <= grant.toVersion)
  );
}

/** A date and time in the reader's locale. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** Namespace and name of a `dataset:<namespace>/<name>` ref. */
export function datasetRefParts(ref: string): DatasetRefParts {
  const { namespace, name } = parseEntityRef(ref, { defaultKind: 'dataset' });
  return { namespace, name };
}
