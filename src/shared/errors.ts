/**
 * Errors that cross a module boundary carry a code; the HTTP layer maps codes to statuses in one
 * place (server/error-handler.ts). Anything else that escapes is a bug and becomes a 500.
 */
export type ErrorCode =
  'validation' | 'not_found' | 'conflict' | 'unauthenticated' | 'forbidden' | 'invalid_state' | 'unavailable';

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];

  constructor(code: ErrorCode, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const invalid = (field: string, message: string) =>
  new AppError('validation', `${field}: ${message}`, [{ field, message }]);
