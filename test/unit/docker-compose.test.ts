import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WORK_KINDS } from '../../runtime/config';

// docker-compose.yml can't be run on this machine (no Docker engine), so its wiring is checked here instead.
const root = path.resolve(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
/** The parts of a compose service these checks read (environment values are strings or numbers in the YAML). */
type ComposeService = {
  image?: string;
  build?: string;
  command: string[];
  ports: string[];
  environment: Record<string, string | number>;
  depends_on?: Record<string, { condition?: string }>;
  deploy: { replicas?: string };
};
const services: Record<string, ComposeService> = compose.services;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** dist/x/y.js → x/y.ts: the command must run a file the build produces. */
function sourceOf(command: string[]): string {
  const target = command.find((part) => part.startsWith('dist/'))!;
  return path.join(root, target.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

describe('docker-compose.yml', () => {
  it('has every service of the production shape', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'temporal', 'temporal-ui', 'worker']);
  });

  it('only depends on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services }).toEqual({ name, dependency, exists: true });
      }
    }
  });

  it('runs Temporal on the PostgreSQL service and points the UI at Temporal', () => {
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services.temporal.environment.POSTGRES_USER).toBe(services.postgres.environment.POSTGRES_USER);
    expect(services.temporal.environment.POSTGRES_PWD).toBe(services.postgres.environment.POSTGRES_PASSWORD);
    expect(services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.temporal.ports).toContain('7233:7233');
  });

  it.each(['api', 'worker', 'migrate'])('wires %s to PostgreSQL and Temporal and runs a built entry point', (name) => {
    const service = services[name];
    const db = new URL(service.environment.DATABASE_URL);
    expect(db.hostname).toBe('postgres');
    expect(db.username).toBe(services.postgres.environment.POSTGRES_USER);
    expect(db.password).toBe(services.postgres.environment.POSTGRES_PASSWORD);
    expect(db.pathname).toBe(`/${services.postgres.environment.POSTGRES_DB}`);
    expect(service.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(service.build).toBe('.');
    expect(fs.existsSync(sourceOf(service.command))).toBe(true);
  });

  it('starts the API and workers only after the migrations, and lets workers scale out', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on?.migrate.condition).toBe('service_completed_successfully');
      expect(services[name].depends_on?.temporal).toBeDefined();
    }
    expect(services.worker.deploy.replicas).toBeDefined();
    expect(services.api.environment.API_KEYS).toMatch(/API_KEYS/);
    expect(services.api.ports).toContain(`${services.api.environment.PORT}:${services.api.environment.PORT}`);
  });

  it('runs workers that poll every task queue by default, each queue with its slots settable', () => {
    const env = services.worker.environment;
    expect(env.WORKER_QUEUES).toBe(`\${WORKER_QUEUES:-${WORK_KINDS.join(',')}}`);
    for (const kind of WORK_KINDS) expect(env[`WORKER_${kind.toUpperCase()}_SLOTS`]).toMatch(/^\$\{WORKER_\w+_SLOTS:-\d+\}$/);
    expect(env.DATABASE_URL).toBeDefined();
  });

  it('builds from a Dockerfile whose build ships the SQL migrations', () => {
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    expect(pkg.scripts.build).toMatch(/cp -r db\/migrations dist\/db/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');

  it('prebuilds the workflow bundle and points the production worker at it', () => {
    const bundle = /npm run bundle-workflows -- (\S+)/.exec(dockerfile)?.[1];
    expect(bundle).toBeDefined();
    expect(pkg.scripts['bundle-workflows']).toMatch(/scripts\/bundle-workflows\.ts/);
    expect(dockerfile).toContain(`ENV WORKFLOW_BUNDLE_PATH=/app/${bundle}`);
    expect(fs.readFileSync(path.join(root, 'worker/index.ts'), 'utf8')).toContain('process.env.WORKFLOW_BUNDLE_PATH');
  });
});

describe('docker-compose.yml matches the production-shape test (TEMPORAL_RUNTIME=server)', () => {
  // Read from the sources the test and the start command run, so either side changing alone fails here.
  const runtime = fs.readFileSync(path.join(root, 'runtime/temporal-server-tools.ts'), 'utf8');
  const server = fs.readFileSync(path.join(root, 'runtime/temporal-server.ts'), 'utf8');
  const shapeTest = fs.readFileSync(path.join(root, 'test/integration/production-shape.test.ts'), 'utf8');
  const constant = (source: string, name: string) => new RegExp(`${name} = '?v?([\\w.]+)'?;`).exec(source)?.[1];

  it('runs the same Temporal server and Web UI versions', () => {
    expect(services.temporal.image).toBe(`temporalio/auto-setup:${constant(runtime, 'TEMPORAL_SERVER_VERSION')}`);
    expect(services['temporal-ui'].image).toBe(`temporalio/ui:${constant(runtime, 'TEMPORAL_UI_SERVER_VERSION')}`);
  });

  it('keeps Temporal on PostgreSQL in the same databases with the same number of history shards', () => {
    expect(services.temporal.environment.DB).toBe('postgres12');
    expect(server).toContain("pluginName: 'postgres12'");
    expect(services.temporal.environment.DBNAME).toBe('temporal');
    expect(services.temporal.environment.VISIBILITY_DBNAME).toBe('temporal_visibility');
    expect(server).toMatch(/\['temporal', 'temporal'\],\s*\['temporal_visibility', 'visibility'\]/);
    expect(String(services.temporal.environment.NUM_HISTORY_SHARDS)).toBe(constant(server, 'TEMPORAL_SHARDS'));
  });

  it('runs as many workers by default as the test, with the env names the test gives its processes', () => {
    const workers = (shapeTest.match(/service\('worker\/index\.ts'\)/g) ?? []).length;
    expect(services.worker.deploy.replicas).toBe(`\${WORKER_REPLICAS:-${workers}}`);
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS']) {
      expect(shapeTest).toContain(`${name}: stack.`);
      expect(services.worker.environment[name]).toBeDefined();
    }
    expect(shapeTest).toContain('WORKFLOW_BUNDLE_PATH: stack.');
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toContain('ENV WORKFLOW_BUNDLE_PATH=');
    expect(services.api.environment.API_KEYS).toBeDefined();
    expect(shapeTest).toContain('API_KEYS:');
  });
});
