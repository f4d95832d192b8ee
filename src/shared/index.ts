export { AppError, invalid, notFound } from './errors.ts';
export type { ErrorCode, FieldError } from './errors.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
