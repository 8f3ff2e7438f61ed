// Structured logs (pino). Secrets are redacted by path wherever they could appear.
import { pino } from 'pino';
import { config } from './config.js';

export const logger = pino({
  level: config.logLevel,
  base: { service: 'portico' },
  redact: {
    paths: ['*.authorization', '*.Authorization', '*.secretAccessKey', '*.headers.authorization', '*.headers["x-api-key"]', '*.value', '*.privateKeyPem'],
    censor: '[redacted]',
  },
});
