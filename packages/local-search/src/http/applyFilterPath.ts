// filter_path response filtering: dotted paths with "*" and "**" wildcards,
// "-" prefixed exclusions; arrays are transparent.
import { globMatch } from "../text/glob.ts";

type Pattern = string[];
type Match = "yes" | "maybe" | "no";

function matches(patterns: Pattern[], path: string[], exclude: boolean): Match {
  let maybe = false;
  for (const p of patterns) {
    const r = matchOne(p, 0, path, 0);
    if (r === "yes") return "yes";
    if (r === "maybe" && !exclude) maybe = true;
  }
  return maybe ? "maybe" : "no";
}

function matchOne(p: Pattern, i: number, path: string[], j: number): Match {
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

/** A path seen in responses, with how the patterns match it; its children by key. */
interface PathNode {
  path: string[];
  excluded: boolean;
  inc: Match;
  children: Map<string, PathNode>;
}

/** One filter_path value, compiled. Pattern matches are memoised in a tree of the paths seen: a bulk response repeats the same few for every item. */
class FilterPath {
  private readonly includes: Pattern[];
  private readonly excludes: Pattern[];
  private root: PathNode = FilterPath.node([], false, "maybe");
  private nodes = 0;

  constructor(spec: string) {
    const all = spec.split(",").map((s) => s.trim()).filter((s) => s !== "");
    this.includes = all.filter((s) => !s.startsWith("-")).map((s) => s.split("."));
    this.excludes = all.filter((s) => s.startsWith("-")).map((s) => s.slice(1).split("."));
  }

  private static node(path: string[], excluded: boolean, inc: Match): PathNode {
    return { path, excluded, inc, children: new Map() };
  }

  apply(value: unknown): unknown {
    if (this.nodes > 10_000) {
      this.root = FilterPath.node([], false, "maybe");
      this.nodes = 0;
    }
    return this.walk(value, this.root, this.includes.length === 0);
  }

  private child(parent: PathNode, k: string): PathNode {
    let n = parent.children.get(k);
    if (n === undefined) {
      const path = [...parent.path, k];
      n = FilterPath.node(
        path,
        this.excludes.length > 0 && matches(this.excludes, path, true) === "yes",
        this.includes.length === 0 ? "yes" : matches(this.includes, path, false),
      );
      parent.children.set(k, n);
      this.nodes++;
    }
    return n;
  }

  private walk(v: unknown, at: PathNode, included: boolean): unknown {
    // Everything below is kept and nothing can be excluded: the value as it is.
    if (included && this.excludes.length === 0) return v;
    if (Array.isArray(v)) {
      const out = v.map((x) => this.walk(x, at, included)).filter((x) => x !== undefined);
      return out.length > 0 || included ? out : undefined;
    }
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const n = this.child(at, k);
        if (n.excluded) continue;
        const all = included || n.inc === "yes";
        if (!all && n.inc === "no") continue;
        const r = this.walk(x, n, all);
        if (r === undefined) continue;
        out[k] = r;
        any = true;
      }
      const top = at.path.length === 0;
      return any || (included && !top) ? out : top ? out : undefined;
    }
    return included ? v : undefined;
  }
}

const compiled = new Map<string, FilterPath>();

export function applyFilterPath(value: unknown, spec: string): unknown {
  let f = compiled.get(spec);
  if (f === undefined) {
    if (compiled.size > 100) compiled.clear();
    f = new FilterPath(spec);
    compiled.set(spec, f);
  }
  return f.apply(value);
}
