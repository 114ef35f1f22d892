// The one way settings are read from the environment: each reader takes the
// environment, the variable's name and its default, and a malformed value is a
// ConfigError naming the variable. The parse* functions are the same rules for
// a raw value, for tables of settings (lib/store/StoreConfig.ts).
import { ConfigError } from "./ConfigError.ts";

export type Env = Record<string, string | undefined>;
export interface Range {
  min?: number;
  max?: number;
}

function inRange(name: string, value: number, range: Range): number {
  if (range.min !== undefined && value < range.min) throw new ConfigError(name, `must be >= ${range.min}, got ${value}`);
  if (range.max !== undefined && value > range.max) throw new ConfigError(name, `must be <= ${range.max}, got ${value}`);
  return value;
}

export function parseInteger(name: string, raw: string, range: Range = {}): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  return inRange(name, Number(raw), range);
}

export function parseNumber(name: string, raw: string, range: Range = {}): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw new ConfigError(name, `must be a number, got "${raw}"`);
  return inRange(name, value, range);
}

/** A URL without its trailing slashes; `protocols` (e.g. ["http:", "https:"]) restricts the scheme. */
export function parseUrl(name: string, raw: string, protocols?: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (protocols && !protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must be a ${protocols.map((p) => p.replace(/:$/, "")).join(" or ")} URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, "");
}

export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${raw}"`);
  return raw as T;
}

export function envOptional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === "" ? undefined : raw;
}

/** Reads a string; `fallback` undefined means required. */
export function envString(env: Env, name: string, fallback?: string): string {
  const raw = envOptional(env, name);
  if (raw !== undefined) return raw;
  if (fallback === undefined) throw new ConfigError(name, "is required but not set");
  return fallback;
}

export function envInt(env: Env, name: string, fallback: number, range: Range = {}): number {
  const raw = envOptional(env, name);
  return raw === undefined ? fallback : parseInteger(name, raw, range);
}

export function envNumber(env: Env, name: string, fallback: number, range: Range = {}): number {
  const raw = envOptional(env, name);
  return raw === undefined ? fallback : parseNumber(name, raw, range);
}

export function envUrl(env: Env, name: string, fallback?: string, protocols?: readonly string[]): string {
  return parseUrl(name, envString(env, name, fallback), protocols);
}

export function envOptionalUrl(env: Env, name: string): string | undefined {
  return envOptional(env, name) === undefined ? undefined : envUrl(env, name);
}

export function envEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = envOptional(env, name);
  return raw === undefined ? fallback : parseEnum(name, raw, allowed);
}
