// The API's two health checks. `/health` is shallow and open: it says the
// function answers, and calls nothing (a load balancer or an uptime probe may
// hit it as often as it likes without reaching a backend). `/health/deep` asks
// every dependency, and sits behind the same auth as the reads: its answer
// names only the kind of each failure, the texts go to the logs.
import type { HttpResponse } from "../http/HttpRequest.ts";
import { json } from "../http/responses.ts";
import type { LogSink } from "../log/LogSink.ts";
import { checkHealth, withoutDetails, type DependencyCheck } from "./checkHealth.ts";

export function healthRoutes(checks: readonly DependencyCheck[], logger: Pick<LogSink, "warn">) {
  return {
    shallow: async (): Promise<HttpResponse> => json(200, { status: "ok" }, { "cache-control": "no-store" }),
    deep: async (): Promise<HttpResponse> => {
      const report = await checkHealth(checks);
      if (report.status !== "ok") logger.warn("dependency check failed", { report });
      return json(report.status === "ok" ? 200 : 503, withoutDetails(report), { "cache-control": "no-store" });
    },
  };
}
