// Group commit of the state file: every change made in one burst (one event-loop turn) shares a single write.
import { saveState, type StateData } from './state';

export class StateStore {
  /** State file writes so far (the benchmark and the tests read it through /_local-ecr/health). */
  writes = 0;
  private pending: Promise<void> | undefined;

  constructor(
    readonly stateDir: string,
    readonly data: StateData,
  ) {}

  /**
   * Saves the changes made so far. Callers answer their client only after it resolves, so an acknowledged change
   * is on disk; callers in the same burst get the same promise, so a burst costs one write.
   */
  commit(): Promise<void> {
    this.pending ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = undefined;
        try {
          saveState(this.stateDir, this.data);
          this.writes += 1;
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    return this.pending;
  }

  /** Waits for a write that is already scheduled (at stop). */
  async settle(): Promise<void> {
    await this.pending;
  }
}
