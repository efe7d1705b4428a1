// Structured logs (pino). Credentials never reach a log line: the paths below
// are redacted wherever they appear, even if a later change logs headers or
// bodies.
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'key',
  '*.key',
  'csrfToken',
  '*.csrfToken',
  'iban',
  '*.iban',
];

export function createLogger(options: { level: string; stream?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.stream,
  );
}
