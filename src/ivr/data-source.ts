import type { LookupSource } from './flow-schema.ts';

/**
 * Where a lookup node's data comes from (IVR-02). The IVR runner calls it with the node's source
 * and input (a waybill number, the caller's number) and branches `found` with the variables it
 * returns, `notFound` on null, an error or a timeout.
 */
export interface IvrDataSource {
  lookup(source: LookupSource, input: string): Promise<Record<string, string> | null>;
}
