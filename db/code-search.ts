import { escapeIdentifier, escapeLiteral, type PoolClient } from 'pg';
import type { Queryable } from './database';
import type { CodeFilters } from '../model/code-filters';
import { parsePoolReference } from '../model/pool';
import { CODE_COLUMNS, type CodeRecord } from './codes';

/**
 * The WHERE clause of a code search or export. `bind` turns a value into SQL: a $n parameter for a query, an
 * escaped literal for COPY (which takes no parameters). Every condition keeps an index usable: pool, batch and
 * member each have an index ending in code, prefix is a range on the primary key (collate "C").
 */
function whereClause(filters: CodeFilters & { prefixCode?: string; after?: string }, bind: (value: string) => string): string {
  const conditions: string[] = [];
  if (filters.pool === 'bank') conditions.push(`c.pool_id = (select id from code_pools where kind = 'bank')`);
  else if (filters.pool) {
    // The filter schema only lets a valid reference through; one that isn't matches no pool rather than all.
    const target = parsePoolReference(filters.pool) ?? { type: 'campaign', id: '' };
    conditions.push(`c.pool_id = (select id from code_pools where kind = ${bind(target.type)} and owner_id = ${bind(target.id)})`);
  }
  if (filters.status) conditions.push(`c.status = ${bind(filters.status)}::code_status`);
  if (filters.member) conditions.push(`c.member_id = ${bind(filters.member)}`);
  if (filters.batch) conditions.push(`c.batch_id = ${bind(filters.batch)}::uuid`);
  if (filters.prefixCode) {
    // Every [A-Z0-9] code with the prefix sorts between the prefix and the prefix followed by '~'.
    conditions.push(`c.code >= ${bind(filters.prefixCode)} and c.code < ${bind(`${filters.prefixCode}~`)}`);
  }
  if (filters.createdFrom) conditions.push(`c.created_at >= ${bind(filters.createdFrom)}::timestamptz`);
  if (filters.createdTo) conditions.push(`c.created_at < ${bind(filters.createdTo)}::timestamptz`);
  if (filters.redeemedFrom) conditions.push(`c.redeemed_at >= ${bind(filters.redeemedFrom)}::timestamptz`);
  if (filters.redeemedTo) conditions.push(`c.redeemed_at < ${bind(filters.redeemedTo)}::timestamptz`);
  if (filters.expired === 'true') conditions.push(`c.expires_at <= now()`);
  if (filters.expired === 'false') conditions.push(`(c.expires_at is null or c.expires_at > now())`);
  if (filters.after) conditions.push(`c.code > ${bind(filters.after)}`);
  return conditions.length ? `where ${conditions.join(' and ')}` : '';
}

export type ResolvedFilters = CodeFilters & { prefixCode?: string };

/** One page in code order after `after` (keyset pagination: no OFFSET, as fast on page 10,000 as on page 1). */
export async function searchCodes(
  db: Queryable,
  filters: ResolvedFilters,
  after: string | undefined,
  limit: number,
): Promise<CodeRecord[]> {
  const values: string[] = [];
  const where = whereClause({ ...filters, after }, (v) => {
    values.push(v);
    return `$${values.length}`;
  });
  const { rows } = await db.query(
    `select ${CODE_COLUMNS} from codes c join code_pools p on p.id = c.pool_id ${where} order by c.code limit ${Number(limit)}`,
    values,
  );
  return rows as CodeRecord[];
}

/** The attribute keys (extra CSV columns of imports) present among the matching codes, sorted. */
export async function exportAttributeKeys(db: Queryable, filters: ResolvedFilters): Promise<string[]> {
  const values: string[] = [];
  const where = whereClause(filters, (v) => {
    values.push(v);
    return `$${values.length}`;
  });
  const { rows } = await db.query(
    `select distinct jsonb_object_keys(c.attributes) as key from codes c ${where ? `${where} and` : 'where'} c.attributes is not null order by 1`,
    values,
  );
  return rows.map((r: { key: string }) => r.key);
}

/**
 * COPY … TO STDOUT of the matching codes as CSV, straight from PostgreSQL: memory stays flat whatever the size.
 * Free-text cells go through csv_safe so a spreadsheet never runs them as formulas. Each attribute key becomes
 * a column `attributes.<key>` (the prefix keeps a key from clashing with a fixed column or starting a formula).
 */
export function exportCodesSql(filters: ResolvedFilters, attributeKeys: string[] = []): string {
  const where = whereClause(filters, escapeLiteral);
  const attributes = attributeKeys
    .map((key) => `, csv_safe(c.attributes ->> ${escapeLiteral(key)}) as ${escapeIdentifier(`attributes.${key}`)}`)
    .join('');
  // Pool columns are escaped once per pool (the small side of the join), not once per code.
  return `copy (select c.code, c.status, p.kind as pool_type, p.owner as pool_id, c.batch_id,
                       csv_safe(c.member_id) as member_id, c.expires_at, c.created_at, c.status_changed_at, c.redeemed_at${attributes}
                  from codes c join (select id, kind, csv_safe(owner_id) as owner from code_pools) p on p.id = c.pool_id ${where})
          to stdout with (format csv, header)`;
}

export type { PoolClient };
