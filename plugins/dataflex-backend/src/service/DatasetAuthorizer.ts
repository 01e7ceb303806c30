import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  DATAFLEX_DATASET_RESOURCE_TYPE,
  DatasetVisibility,
  datasetReadPermission,
  datasetUpdatePermission,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DatasetPermissionQuery,
  DatasetPermissionResource,
  datasetPermissionResourceRef,
} from '@dataflex/backstage-plugin-dataflex-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { DatasetRef, DatasetStore } from '../database/DatasetStore';

/** Which datasets a caller may list. */
export type DatasetListDecision =
  | { result: 'all' }
  | { result: 'none' }
  | { result: 'some'; filter: PermissionCriteria<DatasetPermissionQuery> };

/** The entity ref the permission framework knows a dataset by. */
export function datasetResourceRef(ref: DatasetRef): string {
  return `dataset:${ref.namespace}/${ref.name}`;
}

/**
 * Loads datasets by entity ref for the permission framework, which applies
 * conditional decisions to them; unknown or malformed refs load as
 * undefined.
 */
export function createDatasetResourceLoader(
  store: DatasetStore,
): (refs: string[]) => Promise<Array<DatasetPermissionResource | undefined>> {
  return async refs => {
    const parsed = refs.map(parseDatasetRef);
    const found = await store.getDatasets(
      parsed.filter((ref): ref is DatasetRef => ref !== undefined),
    );
    let next = 0;
    return parsed.map((ref, i) => {
      if (!ref) {
        return undefined;
      }
      const dataset = found[next++];
      return dataset
        ? { ref: refs[i], owner: dataset.owner, visibility: dataset.visibility }
        : undefined;
    });
  };
}

function parseDatasetRef(ref: string): DatasetRef | undefined {
  try {
    const parsed = parseEntityRef(ref);
    if (parsed.kind.toLocaleLowerCase('en-US') !== 'dataset') {
      return undefined;
    }
    return {
      namespace: parsed.namespace.toLocaleLowerCase('en-US'),
      name: parsed.name.toLocaleLowerCase('en-US'),
    };
  } catch {
    return undefined;
  }
}

/**
 * Asks the permission framework about datasets: single datasets by resource
 * ref, lists as conditions to push into the query, and hypothetical
 * datasets (one about to be created or handed to a new owner) by applying
 * the conditions locally.
 */
export class DatasetAuthorizer {
  static create(options: {
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
  }): DatasetAuthorizer {
    const ruleset = options.permissionsRegistry.getPermissionRuleset(
      datasetPermissionResourceRef,
    );
    return new DatasetAuthorizer(
      options.permissions,
      createConditionTransformer(ruleset),
      createConditionAuthorizer(ruleset),
    );
  }

  private constructor(
    private readonly permissions: PermissionsService,
    private readonly transformConditions: ConditionTransformer<DatasetPermissionQuery>,
    private readonly applyConditions: (
      decision: PolicyDecision,
      resource: DatasetPermissionResource | undefined,
    ) => boolean,
  ) {}

  /** One answer per permission, in order, for an existing dataset. */
  async authorize(
    credentials: BackstageCredentials,
    dataset: DatasetRef,
    permissions: ResourcePermission<typeof DATAFLEX_DATASET_RESOURCE_TYPE>[],
  ): Promise<boolean[]> {
    const resourceRef = datasetResourceRef(dataset);
    const decisions = await this.permissions.authorize(
      permissions.map(permission => ({ permission, resourceRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  async listDecision(
    credentials: BackstageCredentials,
  ): Promise<DatasetListDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: datasetReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return { result: 'all' };
    }
    if (decision.result === AuthorizeResult.DENY) {
      return { result: 'none' };
    }
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      throw new Error(`Unexpected permission decision for listing datasets`);
    }
    return {
      result: 'some',
      filter: this.transformConditions(decision.conditions),
    };
  }

  /**
   * Whether the caller would be allowed to update a dataset with this owner
   * and visibility: owners may only create and hand over datasets within
   * their own groups, admins anywhere.
   */
  async mayManage(
    credentials: BackstageCredentials,
    dataset: DatasetRef & { owner: string; visibility: DatasetVisibility },
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: datasetUpdatePermission }],
      { credentials },
    );
    return this.applyConditions(decision, {
      ref: datasetResourceRef(dataset),
      owner: dataset.owner,
      visibility: dataset.visibility,
    });
  }
}
