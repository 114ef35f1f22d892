// Object mappers and their properties: nested definitions, "a.b" shorthand
// names, and the `dynamic` setting each object may override.
import { LOCAL, mapperParsing } from "../errors.ts";
import { buildFieldMapper } from "./buildFieldMapper.ts";
import { mergeMapper } from "./mergeMapper.ts";
import { asBool, isObject } from "./paramValues.ts";
import type { ObjectMapper } from "./types.ts";

export function buildObjectMapper(name: string, path: string, def: Record<string, unknown>): ObjectMapper {
  const allowed = new Set(["type", "properties", "dynamic", "enabled"]);
  for (const key of Object.keys(def)) if (!allowed.has(key)) throw mapperParsing(`unknown parameter [${key}] on mapper [${name}] of type [object]`);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (k !== "properties") params[k] = v;
  const obj: ObjectMapper = {
    kind: "object",
    name,
    path,
    dynamic: parseDynamic(def.dynamic),
    enabled: asBool(def.enabled, true, "enabled"),
    params,
    properties: new Map(),
  };
  if (def.properties !== undefined) addProperties(obj, def.properties);
  return obj;
}

export function parseDynamic(v: unknown): ObjectMapper["dynamic"] {
  if (v === undefined || v === null) return null;
  const s = String(v);
  if (s === "true" || s === "false" || s === "strict") return s;
  throw mapperParsing(`Could not convert [dynamic] to boolean; value [${s}] is not supported by ${LOCAL}`);
}

export function addProperties(obj: ObjectMapper, props: unknown): void {
  if (!isObject(props)) throw mapperParsing(`Expected map for property [properties] on field [${obj.name || "_doc"}]`);
  for (const [name, def] of Object.entries(props)) {
    if (!isObject(def)) throw mapperParsing(`Expected map for property [fields] on field [${name}] but got a class java.lang.String`);
    if (name === "") throw mapperParsing("name cannot be empty string");
    const path = obj.path ? `${obj.path}.${name}` : name;
    if (name.includes(".")) {
      // "a.b": {...} is shorthand for a: {properties: {b: {...}}}
      const [head, ...rest] = name.split(".");
      addProperties(obj, { [head!]: { properties: { [rest.join(".")]: def } } });
      continue;
    }
    const isObj = def.type === undefined || def.type === "object";
    const built = isObj ? buildObjectMapper(name, path, def) : buildFieldMapper(name, path, def);
    const existing = obj.properties.get(name);
    obj.properties.set(name, existing ? mergeMapper(existing, built) : built);
  }
}
