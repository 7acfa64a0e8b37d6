/**
 * `tsx bench/profile-top.ts <file.cpuprofile> [top] [skipSeconds]`: where a V8 CPU profile (`BENCH_CPU_PROF=<folder>`)
 * spent its time: self time by function and by package (node_modules/<name>, node internals, this project's files),
 * in % of all samples, leaving out the first `skipSeconds` (start-up: module loading). Idle and GC are listed as
 * they are, so the rest reads as a share of the whole. The profiler samples wall time: a syscall (writev) shows
 * the time the process waited in it, CPU to spare or not.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return 'project';
}

function main() {
  const [file, topArg, skipArg] = process.argv.slice(2);
  const skipUs = Number(skipArg ?? 0) * 1e6;
  if (!file) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 30);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  let total = 0;
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    elapsed += dt;
    if (elapsed < skipUs) return;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(`file://${process.cwd()}/`, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + dt);
    const pkg = packageOf(url);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + dt);
    total += dt;
  });
  const print = (title: string, map: Map<string, number>, n: number) => {
    console.log(`\n${title} (of ${(total / 1e6).toFixed(1)} s sampled)`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
    }
  };
  print('Self time by package', selfByPackage, 20);
  print('Self time by function', selfByFunction, top);
}

main();
