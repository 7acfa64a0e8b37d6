import { listRoutes } from '../support/list-routes';

/** Issue 26: every list speaks one paging dialect, `cursor` → `nextCursor`; older names are documented deprecated. */
const lists = listRoutes();

it('finds every list by walking the routes', () => {
  expect(lists.map((l) => l.path).sort()).toEqual(
    expect.arrayContaining([
      '/v1/codes',
      '/v1/code-imports/{id}',
      '/v1/events',
      '/v1/jobs',
      '/v1/members/{id}/transactions',
      '/v1/webhooks/{id}/deliveries',
    ]),
  );
});

describe.each(lists.map((l) => [l.path, l] as const))('%s', (_path, list) => {
  it('takes limit and cursor, and answers nextCursor (a string, null on the last page)', () => {
    expect(list.query.find((p) => p.name === 'limit')).toBeDefined();
    expect(list.query.find((p) => p.name === 'cursor')).toMatchObject({ name: 'cursor' });
    expect(list.query.find((p) => p.name === 'cursor')?.deprecated).toBeFalsy();
    expect(list.fields.nextCursor).toMatchObject({ type: 'string', nullable: true });
  });

  it('marks every other paging name deprecated', () => {
    const oldParams = list.query.filter((p) => ['before', 'after', 'next'].includes(p.name));
    for (const p of oldParams) expect(p).toMatchObject({ deprecated: true });
    const oldFields = Object.entries(list.fields).filter(([name]) => /^next/.test(name) && name !== 'nextCursor');
    for (const [, field] of oldFields) expect(field).toMatchObject({ deprecated: true });
  });
});
