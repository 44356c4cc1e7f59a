// Applies a firing fault to one HTTP request before it is handled: wait, never answer, or answer with an error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultAnswer } from './fault-answers';
import type { FaultEffect } from './faults';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when the fault answered (or swallowed) the request, so the handler must not. */
export async function applyFaultBefore(
  effect: FaultEffect,
  req: IncomingMessage,
  res: ServerResponse,
  answer: (code: string, message?: string) => FaultAnswer,
): Promise<boolean> {
  if (effect.delayMs > 0) await sleep(effect.delayMs);
  if (effect.blackHole) {
    // A black hole reads and drops the body and never answers; the connection ends when the client gives up.
    req.resume();
    await new Promise<void>((resolve) => res.once('close', () => resolve()));
    return true;
  }
  if (!effect.error) return false;
  req.resume();
  const reply = answer(effect.error.code, effect.error.message);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
  return true;
}

/** Resets the client's connection (TCP RST where Node supports it), as a network fault would. */
export function resetConnection(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage['socket'] & { resetAndDestroy?: () => void };
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** The `crashAfterStore` fault: dies at once, as a crash between the registry's write and the bookkeeping would. */
export function crashNow(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('local-ecr: SIGKILL did not stop the process');
}
