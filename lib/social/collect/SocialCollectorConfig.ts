import { SOCIAL_SOURCES, type SocialSource } from "../../../contracts/social.ts";
import { ConfigError } from "../../config/ConfigError.ts";
import { envEnum, envInt, envOptional, envString, envUrl, type Env } from "../../config/readEnv.ts";
import { readSocialKeywords, type SocialKeywords } from "../keywords/socialKeywords.ts";

export interface XSourceConfig {
  /** API base (https://api.x.com); the local X stand-in in tests. */
  url: string;
  /** Longest rule X accepts at the project's access level (512 is the lowest documented). */
  ruleMaxChars: number;
  /** Most rules the project may hold. */
  maxRules: number;
  /** Reconnect with backfill_minutes (X: Enterprise access) to cover the time since the cursor. */
  backfill: boolean;
}

export interface SocialCollectorConfig {
  sources: SocialSource[];
  keywords: SocialKeywords;
  jetstreamUrl: string;
  x: XSourceConfig;
  /** Upper bound of one invocation's collection window. */
  windowMs: number;
  /** Time kept free before the Lambda timeout for the final flush and cursor write. */
  flushReserveMs: number;
  /** How far before the saved cursor the next window resumes (posts seen twice are dropped downstream by id). */
  resumeOverlapUs: number;
  batching: { maxPosts: number; maxAgeMs: number };
  /** The cursor is written at most this often while a window runs, and always at its end. */
  cursorSaveMs: number;
  reconnect: { baseMs: number; maxMs: number; idleTimeoutMs: number };
  /** Batches waiting to ship above which reading pauses (resumed at half). */
  maxPendingBatches: number;
  socialQueue: string;
  rawBucket: string;
  /** Where cursors are kept (`state/social/<source>.json`); the raw bucket by default. */
  stateBucket: string;
}

/** The one place collect-social's settings are read, each error naming its variable. */
export function readSocialCollectorConfig(env: Env = process.env): SocialCollectorConfig {
  const sources = [...new Set(envString(env, "SOCIAL_SOURCES", "jetstream").split(",").map((s) => s.trim()).filter(Boolean))];
  if (sources.length === 0) throw new ConfigError("SOCIAL_SOURCES", "must list at least one source");
  for (const s of sources) {
    if (!(SOCIAL_SOURCES as readonly string[]).includes(s)) throw new ConfigError("SOCIAL_SOURCES", `unknown source "${s}", expected some of ${SOCIAL_SOURCES.join(", ")}`);
  }
  // X is paid per post read: it runs only when a bearer token is configured for it.
  if (sources.includes("x") && envOptional(env, "X_BEARER_TOKEN") === undefined && envOptional(env, "X_BEARER_TOKEN_PARAMETER") === undefined) {
    throw new ConfigError("SOCIAL_SOURCES", "lists x but no bearer token is configured (X_BEARER_TOKEN locally, X_BEARER_TOKEN_PARAMETER deployed)");
  }
  const reconnectBase = envInt(env, "SOCIAL_RECONNECT_BASE_MS", 250, { min: 10, max: 60_000 });
  const rawBucket = envString(env, "RAW_BUCKET");
  return {
    sources: sources as SocialSource[],
    keywords: readSocialKeywords(env),
    jetstreamUrl: envUrl(env, "SOCIAL_JETSTREAM_URL", "wss://jetstream2.us-east.bsky.network", ["ws:", "wss:"]),
    x: {
      url: envUrl(env, "SOCIAL_X_URL", "https://api.x.com", ["http:", "https:"]),
      ruleMaxChars: envInt(env, "SOCIAL_X_RULE_MAX_CHARS", 512, { min: 64, max: 4096 }),
      maxRules: envInt(env, "SOCIAL_X_MAX_RULES", 25, { min: 1, max: 100_000 }),
      backfill: envEnum(env, "SOCIAL_X_BACKFILL", ["true", "false"], "true") === "true",
    },
    windowMs: envInt(env, "SOCIAL_WINDOW_SECONDS", 50, { min: 1, max: 900 }) * 1000,
    flushReserveMs: envInt(env, "SOCIAL_FLUSH_RESERVE_MS", 8000, { min: 0, max: 300_000 }),
    resumeOverlapUs: envInt(env, "SOCIAL_RESUME_OVERLAP_SECONDS", 5, { min: 0, max: 3600 }) * 1_000_000,
    batching: {
      maxPosts: envInt(env, "SOCIAL_BATCH_MAX_POSTS", 100, { min: 1, max: 500 }),
      maxAgeMs: envInt(env, "SOCIAL_BATCH_MAX_AGE_MS", 1000, { min: 10, max: 60_000 }),
    },
    cursorSaveMs: envInt(env, "SOCIAL_CURSOR_SAVE_SECONDS", 5, { min: 0, max: 600 }) * 1000,
    reconnect: {
      baseMs: reconnectBase,
      maxMs: envInt(env, "SOCIAL_RECONNECT_MAX_MS", 10_000, { min: reconnectBase, max: 300_000 }),
      idleTimeoutMs: envInt(env, "SOCIAL_IDLE_TIMEOUT_MS", 30_000, { min: 500, max: 600_000 }),
    },
    maxPendingBatches: envInt(env, "SOCIAL_MAX_PENDING_BATCHES", 200, { min: 2, max: 100_000 }),
    socialQueue: envString(env, "SOCIAL_QUEUE"),
    rawBucket,
    stateBucket: envString(env, "SOCIAL_STATE_BUCKET", rawBucket),
  };
}
