/** Production entry point of the HTTP API: `npm run api` (DATABASE_URL, TEMPORAL_ADDRESS and API_KEYS set). */
import '../observability/register-tracing'; // first: it instruments http and pg before they load
import { Database } from '../db/database';
import { apiDatabaseLimits, loadConfig } from '../runtime/config';
import { logger } from '../runtime/logger';
import { connectTemporalClient } from '../runtime/temporal-client';
import { parseApiKeys } from './auth';
import { createApp } from './app';
import { stopTracing } from '../observability/tracing';
import { SecretBox } from '../domain/secret-box';
import { stopReplayThread } from '../services/replay-pool';
import { prepareReplays } from '../services/simulation';

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress || !config.apiKeys) {
    throw new Error('set DATABASE_URL, TEMPORAL_ADDRESS and API_KEYS (or use `npm start`, which runs everything embedded)');
  }
  SecretBox.for(config.webhooks.secretsKey); // refuses to start without SECRETS_KEY, rather than fail each webhook create
  const db = new Database(config.databaseUrl, apiDatabaseLimits(config));
  const temporal = await connectTemporalClient(config.temporalAddress, config.temporalNamespace);
  const server = createApp({ db, temporal, config }, parseApiKeys(config.apiKeys)).listen(config.port, () => {
    logger.info({ port: config.port }, 'API listening');
    process.send?.({ ready: true }); // a parent that forked us (bench) waits for this
    prepareReplays(db);
  });
  const stop = () =>
    server.close(() =>
      Promise.all([db.close(), temporal.connection.close(), stopTracing(), stopReplayThread()]).then(() => process.exit(0)),
    );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
  // Forked by a supervisor (`npm start`): when it dies, so do we, rather than hold the port as an orphan.
  process.once('disconnect', () => {
    stop();
    setTimeout(() => process.exit(0), 5000).unref(); // keep-alive connections must not hold the exit
  });
}

main().catch((error) => {
  logger.error({ err: error }, 'API failed to start');
  process.exit(1);
});
