import { Entity } from '@backstage/catalog-model';
import {
  DATAFLEX_ANNOTATIONS,
  DATAFLEX_CATALOG_ANNOTATIONS,
} from '@dataflex/backstage-plugin-dataflex-common';
import type { Visibility } from '../BrowseQuery/browseFilters';

/** What a card shows of an entity, read from the projected catalog entity. */
export interface BrowseEntity {
  ref: string;
  kind: string;
  title: string;
  description?: string;
  type?: string;
  owner?: string;
  tags: string[];
  isDataset: boolean;
  /** Datasets only, with the default applied. */
  visibility?: Visibility;
  /** Datasets only. */
  format?: string;
  /**
   * Datasets only: how many versions DataFlex holds (its newest version's
   * number, which DataFlex's catalog module puts on the entity), when known.
   */
  latestVersion?: number;
  /** Services only: in the public showcase. */
  isPublic: boolean;
  hasDemo: boolean;
  purpose?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function versionNumber(value: string | undefined): number | undefined {
  return value && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

/** Reads a (possibly projected) catalog entity for a card. */
export function toBrowseEntity(entity: Entity): BrowseEntity {
  const annotations = entity.metadata.annotations ?? {};
  const spec = entity.spec ?? {};
  const isDataset = entity.kind.toLowerCase() === 'dataset';
  const namespace = entity.metadata.namespace ?? 'default';
  return {
    ref: `${entity.kind.toLowerCase()}:${namespace}/${entity.metadata.name}`,
    kind: entity.kind,
    title: entity.metadata.title ?? entity.metadata.name,
    description: str(entity.metadata.description),
    type: str(spec.type),
    owner: str(spec.owner),
    tags: entity.metadata.tags ?? [],
    isDataset,
    visibility: isDataset
      ? (str(spec.visibility) as Visibility | undefined) ?? 'private'
      : undefined,
    format: isDataset ? str(spec.format) : undefined,
    latestVersion: isDataset
      ? versionNumber(annotations[DATAFLEX_CATALOG_ANNOTATIONS.latestVersion])
      : undefined,
    isPublic: !isDataset && annotations[DATAFLEX_ANNOTATIONS.public] === 'true',
    hasDemo:
      !isDataset &&
      (DATAFLEX_ANNOTATIONS.demoPipeline in annotations ||
        DATAFLEX_ANNOTATIONS.demoEndpoint in annotations),
    purpose: str(annotations[DATAFLEX_ANNOTATIONS.purpose]),
  };
}

/** "Dataset", "Service", "Website", … for the card's kind line. */
export function kindLabel(entity: BrowseEntity): string {
  if (entity.isDataset) {
    return 'Dataset';
  }
  const label = entity.type ?? entity.kind;
  return label.charAt(0).toLocaleUpperCase('en-US') + label.slice(1);
}
