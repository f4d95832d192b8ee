/**
 * Checks of an `asr` node that the schema cannot express on its own: ranges that depend on each
 * other. Kept beside the verb's runner so flow-validate.ts only lists where each error lands.
 */
import type { NodeOf } from './flow-schema.ts';

export function asrNodeErrors(node: NodeOf<'asr'>): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (node.minDigits > node.maxDigits)
    errors.push({
      field: 'minDigits',
      message: `minDigits (${node.minDigits}) must not be greater than maxDigits (${node.maxDigits}).`,
    });
  return errors;
}
