import type { FormInstance } from 'antd';
import { isApiError } from '../../api/http';

/**
 * Puts a 400's field errors ("body.status") on the form's inputs; true when any landed, so the
 * caller shows a general message only for errors no input owns.
 */
export function placeFieldErrors(form: FormInstance, error: unknown, names: readonly string[]): boolean {
  if (!isApiError(error) || error.status !== 400) return false;
  const placed = error.fields
    .map((f) => ({ name: f.field.replace(/^body\./, ''), errors: [f.message] }))
    .filter((f) => names.includes(f.name));
  form.setFields(placed);
  return placed.length > 0;
}
