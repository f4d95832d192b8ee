import { pino, type Logger } from 'pino';

export type { Logger };

/** The process logger. Secrets are redacted by path; phone numbers are masked by the callers. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'switchyard' },
    redact: {
      paths: [
        'password',
        '*.password',
        'sipPassword',
        '*.sipPassword',
        'authorization',
        '*.authorization',
        'cookie',
      ],
      censor: '[redacted]',
    },
  });
}
