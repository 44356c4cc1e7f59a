// Per-repository counters of what reached the registry, and per-operation counts of the API calls (ECR and STS), for
// tests and the benchmark; kept in memory.

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
  /** API calls answered (or failed by a fault), by operation: `DescribeImages`, `sts:GetCallerIdentity`, ... */
  calls: Record<string, number>;
}

export class StatsBook {
  private repositories = new Map<string, RepositoryStats>();
  private calls = new Map<string, number>();

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

  /** One API call of `operation` (ECR operations by name, STS actions as `sts:<Action>`). */
  call(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
  }

  snapshot(): Stats {
    return {
      repositories: Object.fromEntries([...this.repositories].map(([name, stats]) => [name, { ...stats }])),
      calls: Object.fromEntries(this.calls),
    };
  }

  reset(): void {
    this.repositories = new Map();
    this.calls = new Map();
  }
}
