// Where the scrapers' Chromium comes from:
//   CHROMIUM_PACK_URL  an https URL of a Chromium pack (chromium-v<N>-pack.<arch>.tar),
//                      fetched into /tmp once per container by @sparticuz/chromium-min:
//                      the way to run on arm64, for which no npm package carries a binary
//   CHROMIUM_PACK_DIR  the folder of @sparticuz/chromium's own (x64) compressed pack;
//                      needed once bundled, since the package finds its `bin` folder
//                      relative to its own file, which esbuild moves
import { ConfigError } from "../config/ConfigError.ts";

export type ChromiumPack =
  | { module: "@sparticuz/chromium-min"; input: string }
  | { module: "@sparticuz/chromium"; input: string | undefined };

export function chromiumPack(env: Record<string, string | undefined> = process.env): ChromiumPack {
  const url = env.CHROMIUM_PACK_URL || undefined;
  if (url !== undefined) {
    // The package downloads with https.get: an http:// URL would fail at the first launch instead of here.
    if (!/^https:\/\/[^/]+\/.+/.test(url)) throw new ConfigError("CHROMIUM_PACK_URL", `must be an https:// URL of a Chromium pack (.tar), got "${url}"`);
    return { module: "@sparticuz/chromium-min", input: url };
  }
  return { module: "@sparticuz/chromium", input: env.CHROMIUM_PACK_DIR || undefined };
}
