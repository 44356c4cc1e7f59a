// Per-repository counters of what reached the registry (for tests and the benchmark); kept in memory.

export interface RepositoryStats {
  /** Blob uploads completed (the final PUT, or a monolithic POST, answered 201). */
  blobUploads: number;
  /** Request body bytes received by blob upload requests (POST/PATCH/PUT under blobs/uploads). */
  bytesReceived: number;
  /** Manifests stored through the registry API (docker push) or PutImage. */
  manifestPuts: number;
}

export interface Stats {
  repositories: Record<string, RepositoryStats>;
}

export class StatsBook {
  private repositories: Record<string, RepositoryStats> = {};

  private of(repository: string): RepositoryStats {
    return (this.repositories[repository] ??= { blobUploads: 0, bytesReceived: 0, manifestPuts: 0 });
  }

  add(repository: string, change: Partial<RepositoryStats>): void {
    const entry = this.of(repository);
    entry.blobUploads += change.blobUploads ?? 0;
    entry.bytesReceived += change.bytesReceived ?? 0;
    entry.manifestPuts += change.manifestPuts ?? 0;
  }

  snapshot(): Stats {
    return { repositories: structuredClone(this.repositories) };
  }

  reset(): void {
    this.repositories = {};
  }
}
