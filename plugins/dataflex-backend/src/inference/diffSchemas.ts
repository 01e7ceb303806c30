import {
  VersionColumn,
  SchemaDiff,
} from '@dataflex/backstage-plugin-dataflex-common';

/** Columns added, removed and retyped from `previous` to `next`, by name. */
export function diffSchemas(
  previous: VersionColumn[],
  next: VersionColumn[],
): SchemaDiff {
  const before = new Map(previous.map(c => [c.name, c]));
  const after = new Map(next.map(c => [c.name, c]));
  return {
    added: next.filter(c => !before.has(c.name)),
    removed: previous.filter(c => !after.has(c.name)),
    retyped: next.flatMap(c => {
      const old = before.get(c.name);
      return old && old.type !== c.type
        ? [{ name: c.name, from: old.type, to: c.type }]
        : [];
    }),
  };
}
