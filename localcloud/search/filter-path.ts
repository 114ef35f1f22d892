// filter_path response filtering: dotted paths with "*" and "**" wildcards,
// "-" prefixed exclusions; arrays are transparent.
import { globMatch } from "./glob.ts";

type Pattern = string[];

function matches(patterns: Pattern[], path: string[], exclude: boolean): "yes" | "maybe" | "no" {
  let maybe = false;
  for (const p of patterns) {
    const r = matchOne(p, 0, path, 0);
    if (r === "yes") return "yes";
    if (r === "maybe" && !exclude) maybe = true;
  }
  return maybe ? "maybe" : "no";
}

function matchOne(p: Pattern, i: number, path: string[], j: number): "yes" | "maybe" | "no" {
  if (i === p.length) return "yes";
  if (j === path.length) return "maybe";
  if (p[i] === "**") {
    const rest = matchOne(p, i + 1, path, j);
    if (rest === "yes") return "yes";
    const deeper = matchOne(p, i, path, j + 1);
    return deeper === "yes" ? "yes" : "maybe";
  }
  if (!globMatch(p[i]!, path[j]!)) return "no";
  return matchOne(p, i + 1, path, j + 1);
}

export function applyFilterPath(value: unknown, spec: string): unknown {
  const all = spec.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const includes = all.filter((s) => !s.startsWith("-")).map((s) => s.split("."));
  const excludes = all.filter((s) => s.startsWith("-")).map((s) => s.slice(1).split("."));
  const walk = (v: unknown, path: string[], included: boolean): unknown => {
    if (Array.isArray(v)) {
      const out = v.map((x) => walk(x, path, included)).filter((x) => x !== undefined);
      return out.length > 0 || included ? out : undefined;
    }
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = [...path, k];
        if (excludes.length > 0 && matches(excludes, p, true) === "yes") continue;
        const inc = included || includes.length === 0 ? "yes" : matches(includes, p, false);
        if (inc === "no") continue;
        const r = walk(x, p, inc === "yes");
        if (r === undefined) continue;
        out[k] = r;
        any = true;
      }
      return any || (included && path.length > 0) ? out : path.length === 0 ? out : undefined;
    }
    return included ? v : undefined;
  };
  return walk(value, [], includes.length === 0);
}
