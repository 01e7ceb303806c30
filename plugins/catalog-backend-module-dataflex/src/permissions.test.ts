import { Entity } from '@backstage/catalog-model';
import {
  datasetSharingConditions,
  datasetSharingPermissionRules,
} from './permissions';

const { isSharedWith } = datasetSharingPermissionRules;

const dataset = (relations: Entity['relations']): Entity => ({
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'salaries' },
  spec: { owner: 'hr', lifecycle: 'production', visibility: 'private' },
  relations,
});

describe('IS_SHARED_WITH', () => {
  const claims = ['user:default/student', 'group:default/Students'];

  it('applies to entities shared with one of the claims, in any case', () => {
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: 'user:default/student' }]),
        { claims },
      ),
    ).toBe(true);
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: 'group:default/students' }]),
        { claims },
      ),
    ).toBe(true);
  });

  it('does not apply to other grantees, other relations or no relations', () => {
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: 'user:default/someone' }]),
        { claims },
      ),
    ).toBe(false);
    expect(
      isSharedWith.apply(
        dataset([{ type: 'ownedBy', targetRef: 'user:default/student' }]),
        { claims },
      ),
    ).toBe(false);
    expect(isSharedWith.apply(dataset(undefined), { claims })).toBe(false);
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: 'user:default/student' }]),
        { claims: [] },
      ),
    ).toBe(false);
  });

  it('queries the relation as the catalog indexes it', () => {
    expect(isSharedWith.toQuery({ claims })).toEqual({
      key: 'relations.sharedWith',
      values: ['user:default/student', 'group:default/students'],
    });
  });

  it('builds conditions for the catalog entity resource type', () => {
    expect(
      datasetSharingConditions.isSharedWith({ claims: ['user:default/x'] }),
    ).toEqual({
      rule: 'IS_SHARED_WITH',
      resourceType: 'catalog-entity',
      params: { claims: ['user:default/x'] },
    });
  });
});
