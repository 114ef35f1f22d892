// The raw archive's layout, whatever stores it: one gzip JSON Lines object per
// batch, partitioned by source and by the hour (UTC) the batch entered.

const SOURCE = /^[a-z0-9][a-z0-9.-]{0,63}$/;

/** `raw/<source>/yyyy/mm/dd/hh/<batchId>.jsonl.gz`, partitioned by the hour (UTC) the batch entered. */
export function rawArchiveKey(source: string, at: Date, batchId: string): string {
  if (!SOURCE.test(source)) throw new RangeError(`source "${source}" is not a valid archive partition name`);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(batchId)) throw new RangeError(`batch id "${batchId}" is not a valid object name`);
  const iso = at.toISOString(); // yyyy-mm-ddThh:...
  return `raw/${source}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/${batchId}.jsonl.gz`;
}

/** One JSON document per line, each line ended by a newline. */
export function toJsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
