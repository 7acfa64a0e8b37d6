import { IMPORTABLE_TRANSITIONS } from '../../domain/code-status';

describe('the transitions a status import may make', () => {
  // db/code-status-imports.ts applies a file in one statement with at most one change per code: exact only while no
  // import target is itself the source of another import transition (a code changed by a row stays put after it).
  it.each(Object.keys(IMPORTABLE_TRANSITIONS))('nothing an import moves a code to (%s) is moved on by an import', (target) => {
    const onward = Object.entries(IMPORTABLE_TRANSITIONS).filter(([, from]) => from?.includes(target as never));
    expect(onward).toEqual([]);
  });
});
