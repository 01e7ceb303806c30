import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  KubernetesValidatorFunctions,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  accessGrantManagePermission,
  accessRequestCreatePermission,
  DATAFLEX_DATASET_RESOURCE_TYPE,
  Dataset,
  DatasetAccess,
  DatasetList,
  datasetContentReadPermission,
  datasetDeletePermission,
  datasetReadPermission,
  datasetUpdatePermission,
  datasetVersionCreatePermission,
  getDatasetVisibility,
  isDatasetEntity,
} from '@dataflex/backstage-plugin-dataflex-common';
import { z } from 'zod';
import {
  DatasetRecord,
  DatasetRef,
  DatasetStore,
  UpdateDatasetOptions,
} from '../database/DatasetStore';
import { DataflexEventPublisher } from './DataflexEventPublisher';
import { DatasetAuthorizer } from './DatasetAuthorizer';
import { decodeCursor, encodeCursor } from './cursor';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** What a caller needs to be allowed to do with a dataset. */
export type DatasetAction =
  | 'read'
  | 'update'
  | 'delete'
  | 'createVersion'
  | 'readContent';

const PERMISSIONS: Record<
  DatasetAction,
  ResourcePermission<typeof DATAFLEX_DATASET_RESOURCE_TYPE>
> = {
  read: datasetReadPermission,
  update: datasetUpdatePermission,
  delete: datasetDeletePermission,
  createVersion: datasetVersionCreatePermission,
  readContent: datasetContentReadPermission,
};

const entityName = z
  .string()
  .refine(KubernetesValidatorFunctions.isValidObjectName, {
    message:
      'must be 1–63 letters, digits and single -, _ or . between them, e.g. customer-orders',
  })
  .transform(s => s.toLocaleLowerCase('en-US'));

const namespaceName = z
  .string()
  .refine(KubernetesValidatorFunctions.isValidNamespace, {
    message: 'must be 1–63 lower-case letters, digits and -, e.g. default',
  });

const tags = z
  .array(
    z.string().refine(tag => makeValidator().isValidTag(tag), {
      message:
        'tags are 1–63 lower-case letters, digits, :, +, # and single - between them',
    }),
  )
  .max(30)
  .transform(list => [...new Set(list)]);

const ownerRef = z.string().transform((value, ctx) => {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    if (
      ref.kind.toLocaleLowerCase('en-US') !== 'group' &&
      ref.kind.toLocaleLowerCase('en-US') !== 'user'
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a group or user, not a ${ref.kind}`,
      });
      return z.NEVER;
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not an entity ref like group:default/data-platform`,
    });
    return z.NEVER;
  }
});

const visibility = z.enum(['private', 'public', 'open']);

const createSchema = z.strictObject({
  namespace: namespaceName.default(DEFAULT_NAMESPACE),
  name: entityName,
  title: z.string().trim().max(255).optional(),
  description: z.string().trim().max(10_000).optional(),
  owner: ownerRef,
  tags: tags.default([]),
  visibility: visibility.default('private'),
});

const updateSchema = z
  .strictObject({
    title: z.string().trim().max(255).optional(),
    description: z.string().trim().max(10_000).optional(),
    owner: ownerRef.optional(),
    tags: tags.optional(),
    visibility: visibility.optional(),
  })
  .refine(changes => Object.values(changes).some(v => v !== undefined), {
    message: 'name at least one of title, description, owner, tags, visibility',
  });

const DEFAULT_PAGE_SIZE = 50;

/**
 * Dataset metadata with its authorization: who may see, create, change and
 * delete which dataset. A Dataset entity registered in the catalog becomes a
 * DataFlex dataset the first time someone who can see it in the catalog
 * uses it, so catalog-registered and uploaded datasets are one and the same.
 */
export class DatasetService {
  static create(options: {
    store: DatasetStore;
    authorizer: DatasetAuthorizer;
    catalog: CatalogService;
    auth: AuthService;
    events: DataflexEventPublisher;
  }): DatasetService {
    return new DatasetService(
      options.store,
      options.authorizer,
      options.catalog,
      options.auth,
      options.events,
    );
  }

  private constructor(
    private readonly store: DatasetStore,
    private readonly authorizer: DatasetAuthorizer,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly events: DataflexEventPublisher,
  ) {}

  async list(
    credentials: UserCredentials,
    options: { limit?: number; cursor?: string; refs?: string[] },
  ): Promise<DatasetList> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    // Checked before permissions, so a bad request is a 400 for everyone.
    const refs = options.refs?.map(parseListRef);
    const decision = await this.authorizer.listDecision(credentials);
    if (decision.result === 'none') {
      return { items: [] };
    }
    const page = await this.store.listDatasets({
      filter: decision.result === 'some' ? decision.filter : undefined,
      refs,
      limit,
      after: options.cursor
        ? decodeCursor(options.cursor, isDatasetPosition)
        : undefined,
    });
    const last = page.items[page.items.length - 1];
    return {
      items: page.items.map(record => toDataset(record)),
      nextCursor:
        page.hasMore && last
          ? encodeCursor({ namespace: last.namespace, name: last.name })
          : undefined,
    };
  }

  async create(credentials: UserCredentials, body: unknown): Promise<Dataset> {
    const input = parse(createSchema, body);
    if (!(await this.authorizer.mayManage(credentials, input))) {
      throw new NotAllowedError(
        `You may only create datasets owned by yourself or one of your groups, not by ${input.owner}`,
      );
    }
    // Asked as this plugin, because a private Dataset entity the caller
    // cannot see must not be taken over by creating its name first.
    const entity = await this.catalog.getEntityByRef(datasetEntityRef(input), {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (entity) {
      throw new ConflictError(
        `A dataset named '${input.namespace}/${input.name}' already exists`,
      );
    }
    const actor = credentials.principal.userEntityRef;
    await this.store.createDataset(
      { ...input, createdBy: actor },
      {
        beforeCommit: (transaction, created) =>
          this.events.datasetCreated(actor, created, { transaction }),
      },
    );
    return this.get(credentials, input);
  }

  /** A dataset's metadata with what the caller may do with it. */
  async get(credentials: UserCredentials, ref: DatasetRef): Promise<Dataset> {
    const dataset = await this.resolve(credentials, ref);
    const [
      read,
      update,
      remove,
      createVersion,
      readContent,
      requestAccess,
      manageAccess,
    ] = await this.authorizer.authorize(credentials, dataset, [
      datasetReadPermission,
      datasetUpdatePermission,
      datasetDeletePermission,
      datasetVersionCreatePermission,
      datasetContentReadPermission,
      accessRequestCreatePermission,
      accessGrantManagePermission,
    ]);
    if (!read) {
      throw notFound(ref);
    }
    return toDataset(dataset, {
      update,
      delete: remove,
      createVersion,
      readContent,
      requestAccess: requestAccess && !manageAccess,
      manageAccess,
    });
  }

  async update(
    credentials: UserCredentials,
    ref: DatasetRef,
    body: unknown,
  ): Promise<{ before: DatasetRecord; after: Dataset }> {
    const changes = parse(updateSchema, body) as UpdateDatasetOptions;
    const before = await this.require(credentials, ref, 'update');
    if (
      changes.owner !== undefined &&
      changes.owner !== before.owner &&
      !(await this.authorizer.mayManage(credentials, {
        ...before,
        owner: changes.owner,
      }))
    ) {
      throw new NotAllowedError(
        `You may only hand datasets to yourself or one of your groups, not to ${changes.owner}`,
      );
    }
    const after = await this.store.updateDataset(ref, changes, {
      beforeCommit: (transaction, updated) =>
        this.events.datasetUpdated(
          credentials.principal.userEntityRef,
          before,
          updated,
          { transaction },
        ),
    });
    if (!after) {
      throw notFound(ref);
    }
    return { before, after: toDataset(after) };
  }

  async delete(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<DatasetRecord> {
    const dataset = await this.require(credentials, ref, 'delete');
    const deleted = await this.store.deleteDataset(ref, {
      beforeCommit: transaction =>
        this.events.datasetDeleted(
          credentials.principal.userEntityRef,
          dataset,
          { transaction },
        ),
    });
    if (!deleted) {
      throw notFound(ref);
    }
    return dataset;
  }

  /**
   * The dataset, provided the caller may read it and do `action` with it.
   * Throws the same NotFoundError for a dataset that does not exist, one the
   * caller may not see, and content the caller may not read; a dataset they
   * may see but not change gets a NotAllowedError.
   */
  async require(
    credentials: UserCredentials,
    ref: DatasetRef,
    action: DatasetAction,
  ): Promise<DatasetRecord> {
    const dataset = await this.resolve(credentials, ref);
    const [read, allowed] = await this.authorizer.authorize(
      credentials,
      dataset,
      action === 'read'
        ? [datasetReadPermission]
        : [datasetReadPermission, PERMISSIONS[action]],
    );
    if (!read || (action === 'readContent' && !allowed)) {
      throw notFound(ref);
    }
    if (action !== 'read' && !allowed) {
      throw new NotAllowedError(
        `You may not ${describeAction(action)} dataset '${ref.namespace}/${
          ref.name
        }'; its owner is ${dataset.owner}`,
      );
    }
    return dataset;
  }

  /**
   * Whether the caller may read the content of this version: a grant counts
   * only for the versions it covers.
   */
  async mayReadVersion(
    credentials: UserCredentials,
    dataset: DatasetRecord,
    version: number,
  ): Promise<boolean> {
    return this.authorizer.authorizeVersion(
      credentials,
      dataset,
      datasetContentReadPermission,
      version,
    );
  }

  private async resolve(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<DatasetRecord> {
    const stored = await this.store.getDataset(ref);
    if (stored) {
      return stored;
    }
    const imported = await this.importFromCatalog(credentials, ref);
    if (!imported) {
      throw notFound(ref);
    }
    return imported;
  }

  /**
   * Creates the row of a dataset that so far only exists as a Dataset
   * entity, asking the catalog with the caller's credentials so that nobody
   * learns about an entity the catalog would not show them.
   */
  private async importFromCatalog(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<DatasetRecord | undefined> {
    const entity = await this.catalog.getEntityByRef(datasetEntityRef(ref), {
      credentials,
    });
    if (!entity || !isDatasetEntity(entity)) {
      return undefined;
    }
    const owner = stringifyEntityRef(
      parseEntityRef(entity.spec.owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      }),
    ).toLocaleLowerCase('en-US');
    try {
      return await this.store.createDataset({
        namespace: ref.namespace,
        name: ref.name,
        title: entity.metadata.title,
        description: entity.metadata.description,
        owner,
        visibility: getDatasetVisibility(entity),
        tags: entity.metadata.tags ?? [],
        source: 'catalog',
        createdBy: credentials.principal.userEntityRef,
      });
    } catch (error) {
      if (error instanceof ConflictError) {
        // Someone else imported it at the same moment.
        return this.store.getDataset(ref);
      }
      throw error;
    }
  }
}

/** Lower-cases the namespace and name of a URL's dataset, as refs compare. */
export function normalizeRef(params: {
  namespace: string;
  name: string;
}): DatasetRef {
  return {
    namespace: params.namespace.toLocaleLowerCase('en-US'),
    name: params.name.toLocaleLowerCase('en-US'),
  };
}

/** A `ref` of the list's query: a dataset entity ref, namespace optional. */
export function parseListRef(value: string): DatasetRef {
  let parsed;
  try {
    parsed = parseEntityRef(value, { defaultNamespace: DEFAULT_NAMESPACE });
  } catch {
    parsed = undefined;
  }
  if (parsed?.kind.toLocaleLowerCase('en-US') !== 'dataset') {
    throw new InputError(
      `ref: '${value}' is not a dataset entity ref like dataset:default/customers`,
    );
  }
  return normalizeRef(parsed);
}

export function notFound(ref: DatasetRef): NotFoundError {
  return new NotFoundError(`Dataset '${ref.namespace}/${ref.name}' not found`);
}

function datasetEntityRef(ref: DatasetRef): string {
  return `dataset:${ref.namespace}/${ref.name}`;
}

function toDataset(record: DatasetRecord, access?: DatasetAccess): Dataset {
  return {
    ref: datasetEntityRef(record),
    namespace: record.namespace,
    name: record.name,
    title: record.title,
    description: record.description,
    owner: record.owner,
    visibility: record.visibility,
    tags: record.tags,
    source: record.source,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    latestVersion: record.latestVersion,
    access,
  };
}

function describeAction(action: DatasetAction): string {
  switch (action) {
    case 'update':
      return 'change';
    case 'delete':
      return 'delete';
    case 'createVersion':
      return 'upload new versions of';
    default:
      return 'use';
  }
}

export function isDatasetPosition(value: unknown): value is DatasetRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DatasetRef).namespace === 'string' &&
    typeof (value as DatasetRef).name === 'string'
  );
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(issue =>
          issue.path.length
            ? `${issue.path.join('.')}: ${issue.message}`
            : issue.message,
        )
        .join('; '),
    );
  }
  return result.data;
}
