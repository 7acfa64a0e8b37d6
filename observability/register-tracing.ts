/** Imported first by each entry point (api/server.ts, worker/index.ts): starts tracing before http and pg load. */
import { startTracing } from './tracing';

startTracing(process.env.SERVICE_NAME || 'loyalty-codes');
