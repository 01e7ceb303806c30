import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionCondition,
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
  datasetContentReadPermission,
  datasetReadPermission,
  datasetUpdatePermission,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DatasetPermissionGrant,
  DatasetPermissionQuery,
  DatasetPermissionResource,
  datasetPermissionResourceRef,
  datasetPermissionRules,
} from '@dataflex/backstage-plugin-dataflex-node';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DatasetRecord,
  DatasetRef,
  DatasetStore,
} from '../database/DatasetStore';

/** Where the active grants of datasets come from. */
export interface ActiveGrantSource {
  /** The active grants of each dataset at `now`, by dataset id. */
  getActiveGrants(
    datasetIds: string[],
    now: Date,
  ): Promise<Map<string, DatasetPermissionGrant[]>>;
}

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
 * Loads datasets by entity ref, with their active grants, for the
 * permission framework, which applies conditional decisions to them; unknown
 * or malformed refs load as undefined.
 */
export function createDatasetResourceLoader(
  store: DatasetStore,
  grants: ActiveGrantSource,
): (refs: string[]) => Promise<Array<DatasetPermissionResource | undefined>> {
  return async refs => {
    const parsed = refs.map(parseDatasetRef);
    const found = await store.getDatasets(
      parsed.filter((ref): ref is DatasetRef => ref !== undefined),
    );
    const active = await grants.getActiveGrants(
      found.flatMap(dataset => (dataset ? [dataset.id] : [])),
      new Date(),
    );
    let next = 0;
    return parsed.map((ref, i) => {
      if (!ref) {
        return undefined;
      }
      const dataset = found[next++];
      return dataset
        ? {
            ref: refs[i],
            owner: dataset.owner,
            visibility: dataset.visibility,
            grants: active.get(dataset.id) ?? [],
          }
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
    grants: ActiveGrantSource;
  }): DatasetAuthorizer {
    const ruleset = options.permissionsRegistry.getPermissionRuleset(
      datasetPermissionResourceRef,
    );
    return new DatasetAuthorizer(
      options.permissions,
      createConditionTransformer(ruleset),
      createConditionAuthorizer(ruleset),
      options.grants,
    );
  }

  private constructor(
    private readonly permissions: PermissionsService,
    private readonly transformConditions: ConditionTransformer<DatasetPermissionQuery>,
    private readonly applyConditions: (
      decision: PolicyDecision,
      resource: DatasetPermissionResource | undefined,
    ) => boolean,
    private readonly grants: ActiveGrantSource,
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

  /**
   * Which datasets the caller may do `permission` with (read, by default),
   * as a filter for the store's queries.
   */
  async listDecision(
    credentials: BackstageCredentials,
    permission: ResourcePermission<
      typeof DATAFLEX_DATASET_RESOURCE_TYPE
    > = datasetReadPermission,
  ): Promise<DatasetListDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
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

  /**
   * Whether the caller may do `permission` with one version of a dataset: a
   * grant counts only when it covers that version, so a grant for version 1
   * does not open version 2.
   */
  async authorizeVersion(
    credentials: BackstageCredentials,
    dataset: DatasetRecord,
    permission: ResourcePermission<typeof DATAFLEX_DATASET_RESOURCE_TYPE>,
    version: number,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW;
    }
    const active = await this.grants.getActiveGrants([dataset.id], new Date());
    return this.applyConditions(decision, {
      ref: datasetResourceRef(dataset),
      owner: dataset.owner,
      visibility: dataset.visibility,
      grants: active.get(dataset.id) ?? [],
      version,
    });
  }

  /**
   * The users and groups whose grants count for the caller, as the policy
   * sees them (groups include those the caller belongs to through nested
   * groups): the claims of its grant rule for reading content. Undefined
   * when the policy decides without grants (it allows or denies outright).
   */
  async grantClaims(
    credentials: BackstageCredentials,
  ): Promise<string[] | undefined> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: datasetContentReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return undefined;
    }
    const claims = new Set<string>();
    collectGrantClaims(decision.conditions, claims);
    return claims.size > 0 ? [...claims] : undefined;
  }
}

function collectGrantClaims(
  criteria: PermissionCriteria<PermissionCondition>,
  claims: Set<string>,
): void {
  if ('anyOf' in criteria) {
    criteria.anyOf.forEach(c => collectGrantClaims(c, claims));
  } else if ('allOf' in criteria) {
    criteria.allOf.forEach(c => collectGrantClaims(c, claims));
  } else if ('not' in criteria) {
    // A negated grant rule names people whose grants do not count.
  } else if (criteria.rule === datasetPermissionRules.hasDatasetGrant.name) {
    const params = criteria.params as { claims?: unknown };
    if (Array.isArray(params.claims)) {
      for (const claim of params.claims) {
        if (typeof claim === 'string') {
          claims.add(claim.toLocaleLowerCase('en-US'));
        }
      }
    }
  }
}
