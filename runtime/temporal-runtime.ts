import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

const LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};
let installed = false;

/** Temporal's own worker logs follow LOG_LEVEL like ours do. Must run before the first Temporal connection. */
export function installTemporalRuntime(): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(LEVELS[process.env.LOG_LEVEL ?? 'info'] ?? 'INFO') });
}
