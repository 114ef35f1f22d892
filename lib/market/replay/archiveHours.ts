const HOUR = 3600_000;

/**
 * The hour partitions (`raw/<source>/yyyy/mm/dd/hh/`) a range [from, to)
 * touches: a batch is replayed when the hour it was archived in overlaps the
 * range, since the archive key carries no finer time.
 */
export function archiveHourPrefixes(source: string, from: Date, to: Date, maxHours = 24 * 366): string[] {
  if (!(from.getTime() < to.getTime())) throw new RangeError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  const first = Math.floor(from.getTime() / HOUR) * HOUR;
  const hours = Math.ceil((to.getTime() - first) / HOUR);
  if (hours > maxHours) throw new RangeError(`range spans ${hours} hours, more than the ${maxHours} allowed in one replay`);
  const prefixes: string[] = [];
  for (let t = first; t < to.getTime(); t += HOUR) {
    const iso = new Date(t).toISOString();
    prefixes.push(`raw/${source}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/`);
  }
  return prefixes;
}
