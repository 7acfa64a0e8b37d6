import type { TestSystem } from './test-system';
import { resolvePool } from '../../db/code-pools';

/** An event schema carrying a code, a store and an amount. */
export async function createCodeEventSchema(system: TestSystem, name = 'code_entered') {
  const res = await system.api.post('/v1/event-schemas').set(system.as('marketer')).send({
    name,
    attributes: [
      { name: 'code', type: 'text', required: true },
      { name: 'store', type: 'text' },
      { name: 'amount', type: 'number' },
    ],
  });
  if (res.status !== 201) throw new Error(`schema: ${res.status} ${JSON.stringify(res.body)}`);
}

export const goldRule = { name: 'gold members', conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold'] }] }, effects: [{ type: 'add_points', points: 100 }] };
export const anyoneRule = { name: 'anyone', conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] }, effects: [{ type: 'add_points', points: 10 }] };

export async function createCampaign(system: TestSystem, id: string, fields: Record<string, unknown> = {}) {
  const res = await system.api.post('/v1/campaigns').set(system.as('marketer')).send({
    id, name: id, status: 'active', trigger: { event: 'code_entered', codeAttribute: 'code' }, rules: [anyoneRule], ...fields,
  });
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Puts codes straight into a campaign's pool (generation is tested on its own). */
export async function addCodes(system: TestSystem, campaignId: string, codes: string[]) {
  const pool = await resolvePool(system.db, { type: 'campaign', id: campaignId });
  await system.db.query(`insert into codes (code, pool_id) select unnest($1::text[]), $2`, [codes, pool.id]);
}

export async function addMembers(system: TestSystem, ids: string[], profile: { tier?: string; segments?: string[]; tags?: string[]; enrolledAt?: string } = {}) {
  await system.db.query(
    `insert into members (id, tier, segments, tags, enrolled_at) select unnest($1::text[]), $2, $3, $4, $5`,
    [ids, profile.tier ?? null, profile.segments ?? [], profile.tags ?? [], profile.enrolledAt ?? null],
  );
}

export function postEvent(system: TestSystem, id: string, memberId: string, code: string, extra: Record<string, unknown> = {}, name = 'code_entered') {
  return system.api.post('/v1/events').set(system.as('producer')).send({ id, name, memberId, attributes: { code, ...extra } });
}
