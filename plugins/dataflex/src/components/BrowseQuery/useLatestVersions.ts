import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useRef, useState } from 'react';
import { datasetsApiRef } from '../../api';

/** Dataset refs the DataFlex API takes in one list request. */
export const MAX_REFS_PER_REQUEST = 100;

/** How cards and DataFlex name a dataset: its entity ref, lower case. */
export function datasetKey(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/**
 * The latest version number of the datasets among `entities`, which is how
 * many versions they have (DataFlex numbers versions without gaps). Each
 * page of cards costs one DataFlex request for the datasets it added, never
 * one per card. Datasets without versions, and all of them while the answer
 * is on its way or when DataFlex does not answer, are absent.
 */
export function useLatestVersions(
  entities: Entity[],
): ReadonlyMap<string, number> {
  const datasetsApi = useApi(datasetsApiRef);
  const [versions, setVersions] = useState<ReadonlyMap<string, number>>(
    () => new Map(),
  );
  const asked = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  useEffect(() => {
    const refs = [
      ...new Set(
        entities
          .filter(
            entity => entity.kind.toLocaleLowerCase('en-US') === 'dataset',
          )
          .map(datasetKey),
      ),
    ].filter(ref => !asked.current.has(ref));
    for (const ref of refs) {
      asked.current.add(ref);
    }
    for (let i = 0; i < refs.length; i += MAX_REFS_PER_REQUEST) {
      const chunk = refs.slice(i, i + MAX_REFS_PER_REQUEST);
      datasetsApi.listDatasets({ refs: chunk, limit: chunk.length }).then(
        ({ items }) => {
          if (!mounted.current) {
            return;
          }
          setVersions(previous => {
            const next = new Map(previous);
            for (const dataset of items) {
              if (dataset.latestVersion) {
                next.set(
                  dataset.ref.toLocaleLowerCase('en-US'),
                  dataset.latestVersion,
                );
              }
            }
            return next;
          });
        },
        () => {
          // Cards are complete without counts; these are asked for again
          // with the next page.
          for (const ref of chunk) {
            asked.current.delete(ref);
          }
        },
      );
    }
  }, [datasetsApi, entities]);

  return versions;
}
