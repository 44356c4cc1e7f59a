// Facts about the machine and tool versions, for the report header (absolute times only mean something next to them).
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import process from 'node:process';
import { docker, sh } from './engine.mjs';

const require = createRequire(import.meta.url);

export function machineFacts() {
  const os = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? 'Linux';
  const cpu = cpus();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const engine = docker('version', '-f', '{{.Server.Version}}').trim();
  const buildx = sh('docker', ['buildx', 'version']).split(' ')[1];
  const nx = require('nx/package.json').version;
  return {
    summary:
      `${cpu.length} cores (${cpu[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} ` +
      `GiB RAM, ${os}, shared with other work (load average ` +
      `at the end ${load}); Node ${process.version}, Nx ${nx}, Docker ` +
      `engine ${engine}, buildx ${buildx} (docker driver, QEMU for arm64)`,
  };
}

/** The payload's package list (make-payload.sh writes versions.txt beside site-packages). */
export const payloadPackages = (payloadDir) => readFileSync(`${payloadDir}/../versions.txt`, 'utf8').trim().split('\n').join(', ');
