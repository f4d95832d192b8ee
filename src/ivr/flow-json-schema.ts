/**
 * The published JSON Schema of a flow document (GET /api/ivr/flows/schema), generated from the zod
 * schema so the two cannot drift. It describes what an editor may write (defaults are optional);
 * graph rules (reachability, loops, references) are checked by POST /api/ivr/flows/validate.
 */
import { z } from 'zod';
import { flowDocument } from './flow-schema.ts';

let cached: Record<string, unknown> | null = null;

export function flowJsonSchema(): Record<string, unknown> {
  cached ??= {
    ...z.toJSONSchema(flowDocument, { io: 'input', unrepresentable: 'any' }),
    title: 'Switchyard IVR flow',
    description:
      'An IVR flow: named nodes, each one verb; "start" names the first node. Node ids are lower-case words.',
  };
  return cached;
}
