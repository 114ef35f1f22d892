import { ConfigError } from "./ConfigError.ts";

type Env = Record<string, string | undefined>;

/** Reads a string; `fallback` undefined means required. */
export function envString(env: Env, name: string, fallback?: string): string {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    if (fallback === undefined) throw new ConfigError(name, "is required but not set");
    return fallback;
  }
  return raw;
}

export function envOptional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === "" ? undefined : raw;
}

export function envInt(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (range.min !== undefined && value < range.min) throw new ConfigError(name, `must be >= ${range.min}, got ${value}`);
  if (range.max !== undefined && value > range.max) throw new ConfigError(name, `must be <= ${range.max}, got ${value}`);
  return value;
}

export function envNumber(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw new ConfigError(name, `must be a number, got "${raw}"`);
  if (range.min !== undefined && value < range.min) throw new ConfigError(name, `must be >= ${range.min}, got ${value}`);
  if (range.max !== undefined && value > range.max) throw new ConfigError(name, `must be <= ${range.max}, got ${value}`);
  return value;
}

export function envUrl(env: Env, name: string, fallback?: string): string {
  const value = envString(env, name, fallback);
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  return value.replace(/\/+$/, "");
}

export function envOptionalUrl(env: Env, name: string): string | undefined {
  return envOptional(env, name) === undefined ? undefined : envUrl(env, name);
}

export function envEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}
