// The filter_path values a bulk answers itself, without rendering every item in
// full and parsing it back to filter it: clients ask for a few fields of each item
// (`items.*.status,items.*.error`), and at hundreds of items per request the
// generic filter (http/applyFilterPath.ts) cost more than the writes' answer did.
// Any other value (wildcards in names, `**`, exclusions, deeper paths, pretty
// output) takes the generic filter, which this must match output for output.

export interface BulkProjection {
  took: boolean;
  errors: boolean;
  /** "all": items as they are; a set: those fields of each item; null: no items. */
  items: "all" | ReadonlySet<string> | null;
}

const PLAIN = /^[A-Za-z0-9_@]+$/;

export function bulkProjection(spec: string | null, pretty: boolean): BulkProjection | null {
  if (spec === null || pretty) return null;
  const out = { took: false, errors: false, items: null as "all" | Set<string> | null };
  const fields = new Set<string>();
  let allItems = false;
  for (const raw of spec.split(",")) {
    const p = raw.trim();
    if (p === "") continue;
    const parts = p.split(".");
    if (!parts.every((s) => PLAIN.test(s) || s === "*")) return null;
    if (parts.length === 1 && (parts[0] === "took" || parts[0] === "errors")) out[parts[0]] = true;
    else if (parts[0] === "items" && (parts.length === 1 || (parts.length === 2 && parts[1] === "*"))) allItems = true;
    else if (parts[0] === "items" && parts.length === 3 && parts[1] === "*" && parts[2] !== "*") fields.add(parts[2]!);
    else if (parts.every((s) => s !== "*") && parts[0] !== "items" && parts[0] !== "took" && parts[0] !== "errors") continue; // names nothing a bulk answers
    else return null;
  }
  out.items = allItems ? "all" : fields.size > 0 ? fields : null;
  return out;
}

/** One field of a bulk item: its name and its value as JSON text. */
export type ItemField = readonly [string, string];

/** One item, its fields in the order OpenSearch writes them; with `keep`, only those (null when it has none of them). */
export function renderItem(op: string, fields: readonly ItemField[], keep: ReadonlySet<string> | null): string | null {
  let body = "";
  for (const [name, json] of fields) {
    if (keep && !keep.has(name)) continue;
    body += (body === "" ? "" : ",") + `"${name}":${json}`;
  }
  return body === "" ? null : `{"${op}":{${body}}}`;
}

/** The response text: what the projection keeps, in the order of the full response. */
export function renderProjected(p: BulkProjection, took: number, errors: boolean, itemsJson: string | null): string {
  const parts: string[] = [];
  if (p.took) parts.push(`"took":${took}`);
  if (p.errors) parts.push(`"errors":${errors}`);
  if (p.items !== null && itemsJson !== null) parts.push(`"items":${itemsJson}`);
  return `{${parts.join(",")}}`;
}
