import type { ApiError } from '../../api/http';
import type { FlowError } from '../../api/ivr-api';

/** A 400's field list ("nodes.welcome.choices.9") back as flow errors (node "welcome", field "choices.9"). */
export function errorsFromApi(error: ApiError): FlowError[] {
  if (error.fields.length === 0) return [{ node: null, field: null, message: error.message }];
  return error.fields.map((f) => {
    const parts = f.field.split('.');
    if (parts[0] === 'nodes' && parts.length >= 2)
      return {
        node: parts[1]!,
        field: parts.length > 2 ? parts.slice(2).join('.') : null,
        message: f.message,
      };
    return { node: null, field: f.field || null, message: f.message };
  });
}
