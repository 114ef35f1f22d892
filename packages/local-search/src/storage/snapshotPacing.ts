// How hard a snapshot may work. A snapshot is never urgent (the log holds every
// write until it is done), so it takes a share of what requests leave of the
// thread: a quarter when they are quiet, down to a twentieth when they keep the
// thread nearly busy. A fixed quarter, on top of requests that already needed
// 70 % of the thread, left them too little at 20,000 trades a second.

const MOST = 0.25;
const LEAST = 0.05;

/** The share of the thread a snapshot may take, given the share requests took lately (0–1). */
export function snapshotShare(requestShare: number): number {
  const spare = 1 - Math.min(1, Math.max(0, requestShare));
  return Math.min(MOST, Math.max(LEAST, spare / 2));
}

/** How long to pause after a chunk that took `busyMs`, so that the snapshot keeps to its share. */
export function pauseAfterChunk(busyMs: number, requestShare: number): number {
  const share = snapshotShare(requestShare);
  return (busyMs * (1 - share)) / share;
}
