/** `npm run setup`: makes sure the pinned Temporal CLI is available (builds it with Go when missing). */
import { loadConfig } from '../runtime/config';
import { ensureTemporalCli } from '../runtime/temporal-cli';

ensureTemporalCli(loadConfig().toolsDir)
  .then((cli) => console.log(`Temporal CLI: ${cli}`))
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
