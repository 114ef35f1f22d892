// The JSON of GET _mapping for an object's properties: names sorted, each
// field's definition as given (multi-fields under "fields"), objects nested.
import type { ObjectMapper } from "./types.ts";

export function renderProperties(obj: ObjectMapper): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = [...obj.properties.keys()].sort();
  for (const n of names) {
    const m = obj.properties.get(n)!;
    if (m.kind === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m.params)) if (k !== "type" || v !== "object") o[k] = v;
      if (m.properties.size > 0) o.properties = renderProperties(m);
      if (m.params.type === "object" && m.properties.size === 0) o.type = "object";
      out[n] = o;
    } else {
      const f: Record<string, unknown> = { ...m.params };
      if (m.fields.size > 0) {
        const fields: Record<string, unknown> = {};
        for (const sn of [...m.fields.keys()].sort()) fields[sn] = m.fields.get(sn)!.params;
        f.fields = fields;
      }
      out[n] = f;
    }
  }
  return out;
}
