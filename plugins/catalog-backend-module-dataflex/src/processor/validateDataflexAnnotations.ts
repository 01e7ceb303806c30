import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  DATAFLEX_ANNOTATION_PREFIX,
  DATAFLEX_ANNOTATIONS,
  DATASET_KIND,
  parseAccessRequestFields,
  parseDemoPipeline,
} from '@dataflex/backstage-plugin-dataflex-common';

const A = DATAFLEX_ANNOTATIONS;

/** Which annotations each kind of entity may carry. */
const SERVICE_ANNOTATIONS: string[] = [
  A.public,
  A.purpose,
  A.consumesDatasets,
  A.producesDatasets,
  A.demoInput,
  A.demoEndpoint,
  A.demoPipeline,
  A.demoSampleRows,
  A.demoTimeoutMs,
];
const DATASET_ANNOTATIONS: string[] = [A.sampleFile, A.accessRequestFields];

const MAX_PURPOSE_LENGTH = 500;

/** Parses a comma-separated list of dataset refs; throws naming the bad one. */
export function parseDatasetRefs(value: string, defaultNamespace: string) {
  return value
    .split(',')
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
      const ref = parseEntityRef(part, {
        defaultKind: DATASET_KIND,
        defaultNamespace,
      });
      if (ref.kind.toLocaleLowerCase('en-US') !== 'dataset') {
        throw new Error(`'${part}' is a ${ref.kind}, not a Dataset`);
      }
      return { kind: DATASET_KIND, namespace: ref.namespace, name: ref.name };
    });
}

function isService(entity: Entity): boolean {
  return (
    entity.kind === 'Component' &&
    (entity.spec as { type?: unknown })?.type === 'service'
  );
}

/**
 * Checks the `dataflex.io/` annotations of an entity and returns one message
 * per problem, each naming the annotation and what is allowed. Never silently
 * drops a value: an unknown annotation under the prefix is a problem too.
 */
export function validateDataflexAnnotations(entity: Entity): string[] {
  const annotations = Object.entries(entity.metadata.annotations ?? {}).filter(
    ([key]) => key.startsWith(DATAFLEX_ANNOTATION_PREFIX),
  );
  if (annotations.length === 0) {
    return [];
  }
  const namespace = entity.metadata.namespace ?? 'default';
  const problems: string[] = [];
  const report = (key: string, message: string) =>
    problems.push(`annotation ${key} ${message}`);

  let allowed: string[];
  if (entity.kind === DATASET_KIND) {
    allowed = DATASET_ANNOTATIONS;
  } else if (isService(entity)) {
    allowed = SERVICE_ANNOTATIONS;
  } else {
    return annotations.map(
      ([key]) =>
        `annotation ${key} is only allowed on services (kind Component, spec.type service) and Datasets`,
    );
  }

  for (const [key, value] of annotations) {
    if (!allowed.includes(key)) {
      report(
        key,
        `is not a DataFlex annotation here; allowed: ${allowed.join(', ')}`,
      );
      continue;
    }
    switch (key) {
      case A.public:
        if (value !== 'true' && value !== 'false') {
          report(key, `is '${value}'; use "true" or "false"`);
        }
        break;
      case A.purpose:
        if (!value.trim() || value.length > MAX_PURPOSE_LENGTH) {
          report(key, `must be 1 to ${MAX_PURPOSE_LENGTH} characters`);
        }
        break;
      case A.consumesDatasets:
      case A.producesDatasets:
      case A.demoInput:
        try {
          const refs = parseDatasetRefs(value, namespace);
          if (refs.length === 0 || (key === A.demoInput && refs.length !== 1)) {
            report(
              key,
              key === A.demoInput
                ? 'must name exactly one dataset'
                : 'must name at least one dataset',
            );
          }
        } catch (error) {
          report(
            key,
            `has an invalid dataset ref: ${(error as Error).message}`,
          );
        }
        break;
      case A.demoEndpoint:
        if (!isHttpUrl(value)) {
          report(key, `is '${value}'; use an absolute http:// or https:// URL`);
        }
        break;
      case A.demoPipeline:
        try {
          parseDemoPipeline(value);
        } catch (error) {
          report(key, (error as Error).message);
        }
        break;
      case A.demoSampleRows:
      case A.demoTimeoutMs:
        if (!/^[1-9][0-9]{0,6}$/.test(value)) {
          report(key, `is '${value}'; use a positive whole number`);
        }
        break;
      case A.sampleFile:
        if (
          !value.trim() ||
          value.includes('\0') ||
          /^[a-z]+:\/\//i.test(value)
        ) {
          report(key, 'must be a file path relative to the descriptor');
        }
        break;
      case A.accessRequestFields:
        try {
          parseAccessRequestFields(value);
        } catch (error) {
          report(key, (error as Error).message);
        }
        break;
      default:
        break;
    }
  }

  const keys = new Set(annotations.map(([key]) => key));
  const hasDemo = keys.has(A.demoEndpoint) || keys.has(A.demoPipeline);
  if (keys.has(A.demoEndpoint) && keys.has(A.demoPipeline)) {
    problems.push(
      `annotations ${A.demoEndpoint} and ${A.demoPipeline} exclude each other; declare one demo`,
    );
  }
  if (hasDemo && !keys.has(A.demoInput)) {
    problems.push(
      `a demo needs annotation ${A.demoInput} naming the dataset its sample rows come from`,
    );
  }
  if (!hasDemo) {
    for (const key of [A.demoInput, A.demoSampleRows, A.demoTimeoutMs]) {
      if (keys.has(key)) {
        report(key, `needs a demo: add ${A.demoPipeline} or ${A.demoEndpoint}`);
      }
    }
  }
  return problems;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
