/**
 * Runs `load` once and hands every caller the same promise, unless it rejects:
 * then the next call tries again. A module-level `promise ??= load()` keeps a
 * rejected promise for the container's life, so one failed model load (a
 * missing file, a transient S3 or network error) would fail every later
 * request of that container.
 */
export function onceUntilRejected<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
