import type { TFunction } from 'i18next';
import { isApiError } from '../api/http';

/**
 * A server refusal in words an agent can act on: what kind of "no" it is (not now, not allowed,
 * wrong input, gone) followed by the server's own explanation, e.g. "Not possible right now:
 * 王芳 (1006) is on_call".
 */
export function apiErrorText(error: unknown, t: TFunction): string {
  if (!isApiError(error)) return error instanceof Error ? error.message : String(error);
  const fields = error.fields.map((field) => field.message).filter((text) => !error.message.includes(text));
  const message = [error.message, ...fields].filter(Boolean).join('; ');
  switch (error.status) {
    case 0:
      return t('common.networkError');
    case 400:
      return t('apiError.invalid', { message });
    case 403:
      return t('apiError.forbidden', { message });
    case 404:
      return t('apiError.notFound', { message });
    case 409:
      return t('apiError.conflict', { message });
    default:
      return t('common.error', { message });
  }
}
