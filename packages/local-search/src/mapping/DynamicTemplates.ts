// dynamic_templates: named rules that pick the mapping of a new field by its
// JSON type, name and path (globs, or regexes with match_pattern: regex).
import { mapperParsing } from "../errors.ts";
import { globMatch } from "../text/glob.ts";
import { isObject } from "./paramValues.ts";

interface DynamicTemplate {
  name: string;
  matchMappingType: string | null;
  match: string | null;
  unmatch: string | null;
  pathMatch: string | null;
  pathUnmatch: string | null;
  regex: boolean;
  mapping: Record<string, unknown>;
}

export class DynamicTemplates {
  private templates: DynamicTemplate[] = [];
  /** As given, for GET _mapping. */
  private raw: unknown[] = [];

  /** Adds templates from a mapping: one with the name of an earlier one replaces it, new ones are appended. */
  merge(json: unknown): void {
    if (!Array.isArray(json)) throw mapperParsing("Dynamic template syntax error. An array of named objects is expected.");
    const parsed = json.map(parseDynamicTemplate);
    const byName = new Map(this.templates.map((t, i) => [t.name, i] as const));
    for (let i = 0; i < parsed.length; i++) {
      const t = parsed[i]!;
      const at = byName.get(t.name);
      if (at !== undefined) {
        this.templates[at] = t;
        this.raw[at] = json[i];
      } else {
        this.templates.push(t);
        this.raw.push(json[i]);
      }
    }
  }

  /** The templates for GET _mapping; undefined when there are none. */
  render(): unknown[] | undefined {
    return this.raw.length > 0 ? this.raw : undefined;
  }

  /**
   * The mapping the first matching template gives a new field, with {name} and
   * {dynamic_type} substituted; undefined when none matches.
   */
  mappingFor(name: string, path: string, type: string): Record<string, unknown> | undefined {
    for (const t of this.templates) {
      if (matches(t, name, path, type)) return substitute(t.mapping, name, type) as Record<string, unknown>;
    }
    return undefined;
  }
}

function parseDynamicTemplate(entry: unknown): DynamicTemplate {
  if (!isObject(entry) || Object.keys(entry).length !== 1) throw mapperParsing("Dynamic template syntax error. An array of named objects is expected.");
  const [name, body] = Object.entries(entry)[0]!;
  if (!isObject(body) || !isObject(body.mapping)) throw mapperParsing(`Dynamic template [${name}] has no [mapping]`);
  const allowed = new Set(["match_mapping_type", "match", "unmatch", "path_match", "path_unmatch", "match_pattern", "mapping"]);
  for (const k of Object.keys(body)) if (!allowed.has(k)) throw mapperParsing(`Illegal dynamic template parameter: [${k}]`);
  const str = (v: unknown): string | null => (v === undefined ? null : String(v));
  const mmt = str(body.match_mapping_type);
  if (mmt !== null && !["*", "string", "long", "double", "boolean", "date", "object"].includes(mmt)) {
    throw mapperParsing(`No field type matched on [${mmt}], possible values are [object, string, long, double, boolean, date, binary]`);
  }
  return {
    name,
    matchMappingType: mmt,
    match: str(body.match),
    unmatch: str(body.unmatch),
    pathMatch: str(body.path_match),
    pathUnmatch: str(body.path_unmatch),
    regex: body.match_pattern === "regex",
    mapping: body.mapping,
  };
}

function matches(t: DynamicTemplate, name: string, path: string, type: string): boolean {
  const m = (pattern: string, text: string): boolean => (t.regex ? new RegExp(`^(?:${pattern})$`).test(text) : globMatch(pattern, text));
  if (t.matchMappingType !== null && t.matchMappingType !== "*" && t.matchMappingType !== type) return false;
  if (t.match !== null && !m(t.match, name)) return false;
  if (t.unmatch !== null && m(t.unmatch, name)) return false;
  if (t.pathMatch !== null && !m(t.pathMatch, path)) return false;
  if (t.pathUnmatch !== null && m(t.pathUnmatch, path)) return false;
  return true;
}

function substitute(v: unknown, name: string, dynType: string): unknown {
  if (typeof v === "string") return v.replaceAll("{name}", name).replaceAll("{dynamic_type}", dynType);
  if (Array.isArray(v)) return v.map((x) => substitute(x, name, dynType));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, name, dynType);
    return out;
  }
  return v;
}
