import fs from 'node:fs';
import type { Database } from '../db/database';

// /proc/<pid>/stat counts CPU time in clock ticks, 100 per second on Linux.
const TICK_MS = 10;

/** CPU time (ms) a process has used so far, user and system (the kernel: sockets, epoll); 0 once it is gone. */
function processCpu(pid: number): { user: number; system: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the name may hold spaces
    return { user: Number(fields[11]) * TICK_MS, system: Number(fields[12]) * TICK_MS };
  } catch {
    return { user: 0, system: 0 };
  }
}

const processCpuMs = (pid: number) => {
  const { user, system } = processCpu(pid);
  return user + system;
};

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface CpuMeter {
  /** CPU ms used since the meter was made: this process, the API process, PostgreSQL (postmaster and its children). */
  read(): { bench: number; api: number; apiSystem: number; postgres: number };
}

/** Where the CPU of a run goes on this (shared) machine: which process pays how much per request. */
export async function cpuMeter(db: Database, apiPid: number): Promise<CpuMeter> {
  const dataDir = (await db.query('show data_directory')).rows[0].data_directory as string;
  const postmaster = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  // Backends started during the run (the pool growing) count from zero; one that ends during it is lost.
  const backends = () => new Map([postmaster, ...childrenOf(postmaster)].map((pid) => [pid, processCpuMs(pid)]));
  const bench = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const start = { bench: bench(), api: processCpuMs(apiPid), apiSystem: processCpu(apiPid).system, postgres: backends() };
  return {
    read() {
      let postgres = 0;
      for (const [pid, ms] of backends()) postgres += ms - (start.postgres.get(pid) ?? 0);
      return {
        bench: bench() - start.bench,
        api: processCpuMs(apiPid) - start.api,
        apiSystem: processCpu(apiPid).system - start.apiSystem,
        postgres,
      };
    },
  };
}
