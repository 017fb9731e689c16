/** What the numbers were measured on: they mean little without it. */
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  logicalCores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  v8: string;
  /** Node flags of the bench process (relaxed SIMD needs one in Node 20). */
  execArgv: string[];
  date: string;
  /** 1-minute load average at start: other work on a shared machine slows every engine. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    logicalCores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    execArgv: [...process.execArgv],
    date: new Date().toISOString(),
    loadAverageStart: loadavg()[0]!,
  };
}

export function currentLoad(): number {
  return loadavg()[0]!;
}
