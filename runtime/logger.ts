import pino from 'pino';
import { activeTraceId } from '../observability/trace-context';

/** One structured (JSON) logger for the API, the worker and the scripts. */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: process.env.SERVICE_NAME || 'loyalty-codes' },
  redact: ['req.headers.authorization'],
  // A line written inside a traced request, relay pass or webhook attempt names its trace (none when tracing is off).
  mixin: () => {
    const traceId = activeTraceId();
    return traceId ? { traceId } : {};
  },
});
