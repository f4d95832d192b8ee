import type { IvrDataSource } from './data-source.ts';
import type { LookupSource } from './flow-schema.ts';

/**
 * One IvrDataSource over several modules' sources (shipments, road conditions, branches): each
 * lookup goes to the module that owns its source; a source nobody serves finds nothing.
 */
export function routeDataSources(bySource: Partial<Record<LookupSource, IvrDataSource>>): IvrDataSource {
  return {
    lookup: (source, input) => bySource[source]?.lookup(source, input) ?? Promise.resolve(null),
  };
}
