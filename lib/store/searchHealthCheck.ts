import type { DependencyCheck } from "../health/checkHealth.ts";
import type { SearchClient } from "./SearchClient.ts";

/** The search endpoint answers: a search of the store's own indices (the only path the API's role may use). */
export function searchHealthCheck(client: SearchClient, indexPrefix: string): DependencyCheck {
  return { name: "search", check: () => client.search({ index: `${indexPrefix}*`, size: 0, ignore_unavailable: true, allow_no_indices: true }) };
}
