import {
  Entity,
  parseEntityRef,
  RELATION_CHILD_OF,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  RELATION_PARENT_OF,
} from '@backstage/catalog-model';

/**
 * A test organisation as the catalog holds it: groups, possibly nested, and
 * users with the groups they are direct members of.
 */
export interface TestOrganisation {
  /** Group refs, each with its parent group's ref if it has one. */
  groups: Record<string, { parent?: string }>;
  /** User refs, each with the refs of the groups they belong to directly. */
  users: Record<string, string[]>;
}

/** The Group and User entities of `organisation`, with their relations. */
export function organisationEntities(organisation: TestOrganisation): Entity[] {
  const { groups, users } = organisation;
  const name = (ref: string) => parseEntityRef(ref).name;
  const groupEntities = Object.entries(groups).map(([ref, { parent }]) => {
    const children = Object.entries(groups)
      .filter(([, group]) => group.parent === ref)
      .map(([child]) => child);
    const members = Object.entries(users)
      .filter(([, memberOf]) => memberOf.includes(ref))
      .map(([user]) => user);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: name(ref), namespace: 'default' },
      spec: {
        type: 'team',
        children: children.map(name),
        ...(parent && { parent }),
      },
      relations: [
        ...(parent ? [{ type: RELATION_CHILD_OF, targetRef: parent }] : []),
        ...children.map(targetRef => ({ type: RELATION_PARENT_OF, targetRef })),
        ...members.map(targetRef => ({
          type: RELATION_HAS_MEMBER,
          targetRef,
        })),
      ],
    };
  });
  const userEntities = Object.entries(users).map(([ref, memberOf]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: name(ref), namespace: 'default' },
    spec: { memberOf, profile: { displayName: name(ref) } },
    relations: memberOf.map(targetRef => ({
      type: RELATION_MEMBER_OF,
      targetRef,
    })),
  }));
  return [...groupEntities, ...userEntities];
}
