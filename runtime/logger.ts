import pino from 'pino';

/** One structured (JSON) logger for the API, the worker and the scripts. */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: process.env.SERVICE_NAME || 'loyalty-codes' },
  redact: ['req.headers.authorization'],
});
