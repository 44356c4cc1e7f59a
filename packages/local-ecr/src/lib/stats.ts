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
  private repositories = new Map<string, RepositoryStats>();

  private of(repository: string): RepositoryStats {
    let entry = this.repositories.get(repository);
    if (!entry) this.repositories.set(repository, (entry = { blobUploads: 0, bytesReceived: 0, manifestPuts: 0 }));
    return entry;
  }

  add(repository: string, change: Partial<RepositoryStats>): void {
    const entry = this.of(repository);
    entry.blobUploads += change.blobUploads ?? 0;
    entry.bytesReceived += change.bytesReceived ?? 0;
    entry.manifestPuts += change.manifestPuts ?? 0;
  }

  snapshot(): Stats {
    return { repositories: Object.fromEntries([...this.repositories].map(([name, stats]) => [name, { ...stats }])) };
  }

  reset(): void {
    this.repositories = new Map();
  }
}
