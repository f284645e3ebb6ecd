/** What a benchmark report says about the machine it ran on. */
import { cpus, loadavg } from 'node:os';

export function machineFacts() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    // The machine may be shared: the 1-minute load average when the timings ended.
    loadAverage1m: loadavg()[0]!,
  };
}
