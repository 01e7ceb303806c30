import { Entity } from '@backstage/catalog-model';
import {
  datasetSharingConditions,
  datasetSharingPermissionRules,
} from './datasetSharingPermissionRules';

const { isSharedWith } = datasetSharingPermissionRules;

const dataset = (relations: Entity['relations']): Entity => ({
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'salaries' },
  spec: { owner: 'hr', lifecycle: 'production', visibility: 'private' },
  relations,
});

const STUDENT_KEY = 'dataflexgrantee:default/0123456789abcdef0123456789abcdef';
const STUDENTS_KEY = 'dataflexgrantee:default/fedcba9876543210fedcba9876543210';

describe('IS_SHARED_WITH', () => {
  const granteeKeys = [STUDENT_KEY, STUDENTS_KEY.toUpperCase()];

  it('applies to entities shared with one of the keys, in any case', () => {
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: STUDENT_KEY }]),
        { granteeKeys },
      ),
    ).toBe(true);
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: STUDENTS_KEY }]),
        { granteeKeys },
      ),
    ).toBe(true);
  });

  it('does not apply to other keys, other relations or no relations', () => {
    expect(
      isSharedWith.apply(
        dataset([
          {
            type: 'sharedWith',
            targetRef:
              'dataflexgrantee:default/00000000000000000000000000000000',
          },
        ]),
        { granteeKeys },
      ),
    ).toBe(false);
    expect(
      isSharedWith.apply(
        dataset([{ type: 'ownedBy', targetRef: STUDENT_KEY }]),
        { granteeKeys },
      ),
    ).toBe(false);
    expect(isSharedWith.apply(dataset(undefined), { granteeKeys })).toBe(false);
    expect(
      isSharedWith.apply(
        dataset([{ type: 'sharedWith', targetRef: STUDENT_KEY }]),
        { granteeKeys: [] },
      ),
    ).toBe(false);
  });

  it('queries the relation as the catalog indexes it', () => {
    expect(isSharedWith.toQuery({ granteeKeys })).toEqual({
      key: 'relations.sharedWith',
      values: [STUDENT_KEY, STUDENTS_KEY],
    });
  });

  it('builds conditions for the catalog entity resource type', () => {
    expect(
      datasetSharingConditions.isSharedWith({ granteeKeys: [STUDENT_KEY] }),
    ).toEqual({
      rule: 'IS_SHARED_WITH',
      resourceType: 'catalog-entity',
      params: { granteeKeys: [STUDENT_KEY] },
    });
  });
});
