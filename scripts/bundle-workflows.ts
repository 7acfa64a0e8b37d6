/** `npm run bundle-workflows -- <file>`: the workflow bundle, built ahead (the Docker image ships it). */
import path from 'node:path';
import { writeWorkflowBundle } from '../runtime/workflow-bundle';

const file = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
writeWorkflowBundle(file)
  .then(() => console.log(`Workflow bundle: ${file}`))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
