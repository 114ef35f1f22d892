// The OpenSearch-compatible local endpoint: startSearchServer() binds an HTTP
// server speaking the subset of the OpenSearch REST API that CryptoViz uses.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_MAX_CONTENT_LENGTH } from "./http/readRequestBody.ts";
import { Cluster } from "./cluster/Cluster.ts";
import { makeRequestHandler } from "./http/makeRequestHandler.ts";
import { registerAdminRoutes } from "./rest/registerAdminRoutes.ts";
import { registerDocumentRoutes } from "./rest/registerDocumentRoutes.ts";
import { registerSearchRoutes } from "./rest/registerSearchRoutes.ts";
import { Router } from "./http/Router.ts";

export interface SearchServerOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Directory for the write-ahead log and snapshots; undefined keeps everything in memory. */
  dataDir?: string;
  /** http.max_content_length in bytes, as sent and once decompressed; default 100 MiB, as OpenSearch. */
  maxContentLength?: number;
}

export interface SearchServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function buildRouter(cluster: Cluster): Router {
  const router = new Router();
  // Specific API paths first: "{index}" never matches a segment starting with "_".
  registerSearchRoutes(router, cluster);
  registerDocumentRoutes(router, cluster);
  registerAdminRoutes(router, cluster);
  return router;
}

export async function startSearchServer(opts: SearchServerOptions): Promise<SearchServer> {
  const cluster = new Cluster();
  if (opts.dataDir !== undefined) await cluster.open(opts.dataDir);
  const router = buildRouter(cluster);
  const server = createServer({ keepAliveTimeout: 65_000 }, makeRequestHandler(router, { maxContentLength: opts.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH }));
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2000).unref();
        });
        await cluster.close();
      })();
      return closing;
    },
  };
}
