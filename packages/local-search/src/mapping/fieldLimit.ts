// index.mapping.total_fields.limit: how many fields (multi-fields included) one
// mapping may hold. Checked when a mapping is merged and when a document would
// add fields dynamically, so that a stream of odd documents cannot grow the
// mapping (and its columns) without bound.
import { illegalArgument } from "../errors.ts";

export const DEFAULT_TOTAL_FIELDS_LIMIT = 1000;

/** Throws when `count` fields exceed `limit`; `adding` names how many a document was adding. */
export function checkTotalFields(limit: number, count: number, adding?: number): void {
  if (count <= limit) return;
  const reason = `Limit of total fields [${limit}] has been exceeded`;
  throw illegalArgument(adding === undefined ? reason : `${reason} while adding new fields [${adding}]`);
}
