// Composable index templates (PUT/GET/DELETE _index_template): validation,
// priority-based matching at index creation, and their GET rendering.
import { illegalArgument, LOCAL, parsingError, resourceNotFound, SearchError, validationFailed } from "../errors.ts";
import { globMatch } from "../text/glob.ts";
import { Mapping } from "../mapping/Mapping.ts";
import { type FlatSettings, nestSettings, normalizeSettings } from "../index/indexSettings.ts";

export interface IndexTemplate {
  name: string;
  indexPatterns: string[];
  priority: number;
  version: number | null;
  settings: FlatSettings;
  mappings: Record<string, unknown> | null;
  meta: Record<string, unknown> | null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function unwrapMappings(m: unknown): Record<string, unknown> | null {
  if (m === undefined || m === null) return null;
  if (!isObj(m)) throw new SearchError(400, "mapper_parsing_exception", "Failed to parse mapping: mappings must be an object");
  if (Object.keys(m).length === 1 && isObj(m._doc)) return m._doc;
  return m;
}

export function parseTemplate(name: string, body: unknown): IndexTemplate {
  if (!isObj(body)) throw parsingError("request body is required");
  for (const k of Object.keys(body)) {
    if (!["index_patterns", "template", "priority", "version", "_meta", "composed_of", "data_stream", "allow_auto_create", "context"].includes(k)) {
      throw new SearchError(400, "x_content_parse_exception", `[1:2] [index_template] unknown field [${k}]`);
    }
  }
  if (body.data_stream !== undefined) throw illegalArgument(`data streams are not supported by ${LOCAL}`);
  if (body.context !== undefined) throw illegalArgument(`template [context] is not supported by ${LOCAL}`);
  if (Array.isArray(body.composed_of) && body.composed_of.length > 0) throw illegalArgument(`component templates ([composed_of]) are not supported by ${LOCAL}`);
  const patterns = typeof body.index_patterns === "string" ? [body.index_patterns] : body.index_patterns;
  if (!Array.isArray(patterns) || patterns.length === 0) throw validationFailed("index patterns are missing");
  for (const p of patterns) {
    if (typeof p !== "string" || p === "") throw validationFailed("index_patterns must be non-empty strings");
    if (/[\\/?"<>| ,#]/.test(p) || p.startsWith("_") || p.startsWith("-")) throw new SearchError(400, "invalid_index_template_exception", `index_template [${name}] invalid, cause [Validation Failed: 1: index_pattern [${p}] must not contain a space, comma or one of \\, /, ?, ", <, >, |, #;]`);
  }
  const priority = body.priority === undefined ? 0 : Number(body.priority);
  if (!Number.isInteger(priority) || priority < 0) throw validationFailed("index template priority must be >= 0");
  const tpl = body.template === undefined ? {} : body.template;
  if (!isObj(tpl)) throw parsingError("[template] must be an object");
  for (const k of Object.keys(tpl)) if (!["settings", "mappings", "aliases"].includes(k)) throw new SearchError(400, "x_content_parse_exception", `[template] unknown field [${k}]`);
  if (isObj(tpl.aliases) && Object.keys(tpl.aliases).length > 0) throw illegalArgument(`aliases are not supported by ${LOCAL}`);
  const settings = normalizeSettings(tpl.settings);
  const mappings = unwrapMappings(tpl.mappings);
  if (mappings) new Mapping(mappings); // validates
  return {
    name,
    indexPatterns: patterns as string[],
    priority,
    version: body.version === undefined ? null : Number(body.version),
    settings,
    mappings,
    meta: isObj(body._meta) ? body._meta : null,
  };
}

function overlaps(a: string, b: string): boolean {
  return a === b || globMatch(a, b) || globMatch(b, a);
}

export class TemplateRegistry {
  readonly templates = new Map<string, IndexTemplate>();

  put(t: IndexTemplate, create: boolean): void {
    if (create && this.templates.has(t.name)) throw illegalArgument(`index template [${t.name}] already exists`);
    for (const other of this.templates.values()) {
      if (other.name === t.name || other.priority !== t.priority) continue;
      const clash = t.indexPatterns.some((p) => other.indexPatterns.some((q) => overlaps(p, q)));
      if (clash) {
        throw illegalArgument(
          `index template [${t.name}] has index patterns ${JSON.stringify(t.indexPatterns).replaceAll('"', "")} matching patterns from existing templates [${other.name}] with patterns (${other.name} => ${JSON.stringify(other.indexPatterns).replaceAll('"', "")}) that have the same priority [${t.priority}], multiple index templates may not match during index creation, please use a different priority`,
        );
      }
    }
    this.templates.set(t.name, t);
  }

  /** Deletes templates by name or wildcard; throws index_template_missing_exception when none match. */
  delete(nameExpr: string): string[] {
    const names = this.resolve(nameExpr);
    if (names.length === 0) throw new SearchError(404, "index_template_missing_exception", `index_template [${nameExpr}] missing`);
    for (const n of names) this.templates.delete(n);
    return names;
  }

  resolve(nameExpr: string): string[] {
    const out: string[] = [];
    for (const part of nameExpr.split(",")) {
      for (const n of this.templates.keys()) if (globMatch(part, n) && !out.includes(n)) out.push(n);
    }
    return out;
  }

  /** The highest-priority template whose patterns match the index name. */
  match(index: string): IndexTemplate | null {
    let best: IndexTemplate | null = null;
    for (const t of this.templates.values()) {
      if (!t.indexPatterns.some((p) => globMatch(p, index))) continue;
      if (!best || t.priority > best.priority) best = t;
    }
    return best;
  }

  render(names: string[] | null, expr?: string): Record<string, unknown> {
    const list = names ?? [...this.templates.keys()];
    if (names !== null && list.length === 0) throw resourceNotFound(`index template matching [${expr ?? ""}] not found`);
    return {
      index_templates: list.map((n) => {
        const t = this.templates.get(n)!;
        const template: Record<string, unknown> = {};
        if (Object.keys(t.settings).length > 0) template.settings = nestSettings(t.settings);
        if (t.mappings) template.mappings = t.mappings;
        const it: Record<string, unknown> = { index_patterns: t.indexPatterns, template, composed_of: [], priority: t.priority };
        if (t.version !== null) it.version = t.version;
        if (t.meta) it._meta = t.meta;
        return { name: n, index_template: it };
      }),
    };
  }
}

/** Deep-merges mapping JSON: properties of `over` replace same-named ones in `base` (recursing into objects). */
export function mergeMappingJson(base: Record<string, unknown> | null, over: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!base) return over;
  if (!over) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === "properties" && isObj(v) && isObj(base.properties)) {
      const props: Record<string, unknown> = { ...base.properties };
      for (const [name, def] of Object.entries(v)) {
        const prev = props[name];
        const isObjMapping = (d: unknown): boolean => isObj(d) && (d.type === undefined || d.type === "object") && isObj(d.properties);
        props[name] = isObjMapping(prev) && isObjMapping(def) ? mergeMappingJson(prev as Record<string, unknown>, def as Record<string, unknown>) : def;
      }
      out.properties = props;
    } else out[k] = v;
  }
  return out;
}
