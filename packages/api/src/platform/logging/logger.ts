import pino, { type Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

/**
 * Paths never written to logs. Names are the ones used in request bodies, errors and records
 * across modules; a test logs a record carrying each of them and checks none survives.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.passwordHash',
  '*.refreshToken',
  '*.refresh_token',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*.token',
  '*.totpSecret',
  '*.secret',
  '*.code',
  '*.recoveryCode',
  '*.ssn',
  '*.medicaidId',
  '*.dateOfBirth',
  '*.dob',
  '*.firstName',
  '*.lastName',
  '*.name',
  '*.email',
  '*.phone',
  '*.address',
  '*.diagnosis',
  '*.note',
  '*.body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ehrms' },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Asynchronous stdout: lines written while a write is in flight go out together, so a busy
    // server makes one write syscall per batch of lines instead of one per line.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
