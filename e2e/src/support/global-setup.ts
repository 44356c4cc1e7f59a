// Makes sure the engine, buildx, QEMU and the base-image registry are up before any real-engine suite runs.
import { ensureToolchain } from './toolchain';

export default function globalSetup(): void {
  ensureToolchain();
}
