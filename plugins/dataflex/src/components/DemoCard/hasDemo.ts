import { Entity } from '@backstage/catalog-model';
import { DATAFLEX_ANNOTATIONS } from '@dataflex/backstage-plugin-dataflex-common';

/**
 * Whether an entity is a service with a demo the "Try it" card can run. Kept
 * apart from the card so that the card's filter does not load the card.
 */
export function hasDemo(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    (entity.spec as { type?: unknown } | undefined)?.type === 'service' &&
    Boolean(
      annotations[DATAFLEX_ANNOTATIONS.demoPipeline] ||
        annotations[DATAFLEX_ANNOTATIONS.demoEndpoint],
    )
  );
}
