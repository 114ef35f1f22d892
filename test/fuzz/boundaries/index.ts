import type { Boundary } from "../harness.ts";
import { apiParamsBoundary } from "./apiParams.ts";
import { envelopeBoundary } from "./envelope.ts";
import { inferenceBoundary } from "./inference.ts";
import { scraperConfigBoundary } from "./scraperConfig.ts";
import { searchBulkBoundary, searchQueryBoundary } from "./searchEndpoint.ts";
import { webhookBoundary } from "./webhook.ts";

/** Every boundary the fuzz suite covers, in the order they run. */
export const BOUNDARIES = [webhookBoundary, apiParamsBoundary, inferenceBoundary, envelopeBoundary, scraperConfigBoundary, searchQueryBoundary, searchBulkBoundary] as unknown as Boundary<never>[];
