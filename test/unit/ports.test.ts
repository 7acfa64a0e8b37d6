import { freePorts, portClash } from '../../runtime/ports';

describe('portClash', () => {
  it.each([
    ['all different', { PORT: 3000, EMBEDDED_POSTGRES_PORT: 54329, TEMPORAL_PORT: 7233 }, undefined],
    ['two the same', { PORT: 43219, EMBEDDED_POSTGRES_PORT: 43219, TEMPORAL_PORT: 7233 }, 'PORT and EMBEDDED_POSTGRES_PORT are both 43219'],
    [
      'three the same',
      { PORT: 1, WORKER_METRICS_PORT: 1, TEMPORAL_UI_PORT: 1 },
      'PORT and WORKER_METRICS_PORT and TEMPORAL_UI_PORT are all 1',
    ],
    ['a service not run by the start is left out', { PORT: 5432, EMBEDDED_POSTGRES_PORT: undefined }, undefined],
  ])('%s', (_, ports, expected) => {
    const said = portClash(ports);
    if (expected === undefined) expect(said).toBeUndefined();
    else expect(said).toBe(`${expected}: each needs a port of its own.`);
  });
});

describe('freePorts', () => {
  it('hands out ports that all differ and avoid the ones already promised', async () => {
    for (let round = 0; round < 50; round++) {
      const taken = await freePorts(3);
      const ports = await freePorts(8, taken);
      expect(new Set(ports).size).toBe(8);
      expect(ports.filter((port) => taken.includes(port))).toEqual([]);
    }
  });
});
