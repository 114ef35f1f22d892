// A page whose views are all loaded may not ask the API anything for minutes (the
// live feed moves the prices): then nothing would notice the API going away. When
// no request has ended for `everyMs`, ask GET /health (open, and it calls no
// backend) — a failure, retried like any other, keeps the badge off "live".
import type { ApiClient } from "../api.ts";
import type { ApiHealth } from "./apiHealth.ts";
import { Loader, type LoaderDeps } from "./loader.ts";

export const PROBE_EVERY_MS = 30_000;

export function startApiProbe(api: ApiClient, health: ApiHealth, deps: LoaderDeps, everyMs = PROBE_EVERY_MS): () => void {
  const probe = new Loader((request) => api.get<unknown>("/health", {}, request), () => {}, deps);
  // Checked three times per period, so that an idle spell is noticed within about 1⅓ periods, not 2.
  const timer = setInterval(() => {
    if (Date.now() - (health.lastSettledAt ?? 0) >= everyMs) probe.refresh();
  }, everyMs / 3);
  return () => {
    clearInterval(timer);
    probe.destroy();
  };
}
