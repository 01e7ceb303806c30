import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DatasetSharingKeys } from '@dataflex/backstage-plugin-dataflex-node';
import express from 'express';
import Router from 'express-promise-router';
import { explain } from '../policy/explain';
import { RoleResolver } from '../policy/RoleResolver';

export interface RbacRouterOptions {
  roles: RoleResolver;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  sharingKeys: DatasetSharingKeys;
}

function parseRef(value: unknown, name: string, defaultKind?: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(
      `Query parameter '${name}' is required, e.g. ${name}=${
        defaultKind ?? 'component'
      }:default/name`,
    );
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(
      `Query parameter '${name}' is not an entity ref: '${value}'`,
    );
  }
}

/**
 * Lets people see the role mapping in effect and ask "why can't I see
 * this?". Anyone may ask about themselves; only admins about someone else.
 * Entities a non-admin cannot see are reported as not found, so asking
 * never reveals a private dataset.
 */
export async function createRbacRouter(
  options: RbacRouterOptions,
): Promise<express.Router> {
  const { roles, catalog, auth, httpAuth, sharingKeys } = options;
  const router = Router();

  router.get('/dataflex/roles', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({
      admins: roles.adminRefs,
      roles: [
        {
          name: 'admin',
          who: 'users and members of the groups listed in dataflex.rbac.admins',
          may: 'everything',
        },
        {
          name: 'owner',
          who: "members of an entity's owning group, including members of its child groups",
          may: 'read, edit, upload to and grant access on what they own',
        },
        {
          name: 'viewer',
          who: 'everyone signed in',
          may: 'public and open datasets, open datasets’ content, the rest of the catalog except private datasets',
        },
      ],
      you: await roles.resolve(credentials),
    });
  });

  router.get('/dataflex/explain', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const caller = await roles.resolve(credentials);
    const entityRef = parseRef(req.query.entityRef, 'entityRef');
    const userEntityRef =
      req.query.userEntityRef === undefined
        ? caller.userEntityRef
        : parseRef(req.query.userEntityRef, 'userEntityRef', 'user');

    const asSelf = userEntityRef === caller.userEntityRef;
    if (!asSelf && !caller.isAdmin) {
      throw new NotAllowedError(
        'Only admins may explain what another user can do',
      );
    }
    const serviceCredentials = await auth.getOwnServiceCredentials();

    let subject = caller;
    if (!asSelf) {
      const userEntity = await catalog.getEntityByRef(userEntityRef, {
        credentials: serviceCredentials,
      });
      if (!userEntity) {
        throw new NotFoundError(`No user ${userEntityRef} in the catalog`);
      }
      subject = await roles.resolveRefs(userEntityRef, memberships(userEntity));
    }

    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: caller.isAdmin ? serviceCredentials : credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} that you can see`);
    }
    res.json({
      user: subject,
      entityRef,
      permissions: explain(subject, entity, sharingKeys),
    });
  });

  return router;
}

function memberships(user: Entity): string[] {
  return [
    stringifyEntityRef(user),
    ...(user.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => r.targetRef),
  ];
}
