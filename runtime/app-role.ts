import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The embedded default's application role (issue 29): what the API, the workers, the tests and the bench connect
 * as. The superuser stays for cluster administration only: it creates the database and this role, runs the
 * migrations (so it owns the schema, as production's migration role does), then grants this role what the API
 * and the workers need and nothing more: the same grants README "Security" lists for a production role. The
 * role owns nothing, so it can't create, alter or drop a table, make a role, or read another role's password.
 */
export const APP_ROLE = 'loyalty_app';

/** Where the role's password is kept: beside the cluster's folder like the superuser's, mode 0600. */
export const appPasswordFileOf = (postgresDataDir: string) => `${postgresDataDir}.app-password`;

/** The kept password, or a new one kept at once (the role gets it next, on every start). */
function readOrMakeAppPassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function asAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates the role when missing (a cluster made by an older version has none) and sets its attributes and kept
 * password on every start, so a lost password file heals itself. Returns the password.
 */
export async function ensureAppRole(adminUrl: string, postgresDataDir: string, role = APP_ROLE): Promise<string> {
  const password = readOrMakeAppPassword(appPasswordFileOf(postgresDataDir));
  await asAdmin(adminUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role]);
    if (!rowCount) await client.query(`create role ${quoted(role)}`);
    // base64url: nothing to escape. NOINHERIT: a grant of another role later can't widen it silently.
    await client.query(
      `alter role ${quoted(role)} with login password '${password}' nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls`,
    );
  });
  return password;
}

/**
 * Grants `role` what the API and the workers use on the product's database (at `databaseAdminUrl`, the superuser
 * on that database), after the migrations: idempotent, so it runs on every start and covers tables a new
 * migration added and databases an older version migrated without it. The migrations' own bookkeeping table is
 * not the application's business.
 */
export async function grantAppRole(databaseAdminUrl: string, role = APP_ROLE): Promise<void> {
  const r = quoted(role);
  await asAdmin(databaseAdminUrl, async (client) => {
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.query(`
      grant connect, temporary on database ${quoted(rows[0].db)} to ${r};
      grant usage on schema public to ${r};
      grant select, insert, update, delete on all tables in schema public to ${r};
      grant usage, select on all sequences in schema public to ${r};
      revoke all on table pgmigrations from ${r};
      revoke all on sequence pgmigrations_id_seq from ${r};
      grant execute on all functions in schema public to ${r};`);
  });
}

/** `url` with another user and password (same host, port and database). */
export function urlAs(url: string, user: string, password: string): string {
  const next = new URL(url);
  next.username = encodeURIComponent(user);
  next.password = encodeURIComponent(password);
  return next.toString();
}
