/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import { migrate } from '../db/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('set DATABASE_URL');
  process.exit(1);
}
migrate(url)
  .then(() => console.log('migrations applied'))
  .catch((error: Error) => {
    console.error(`migration failed: ${error.message}`);
    process.exit(1);
  });
