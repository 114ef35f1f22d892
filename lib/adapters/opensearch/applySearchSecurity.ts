// Applies the roles and mappings through the security plugin's REST API,
// signed with SigV4 as the domain's master user (the role of the function that
// runs this). The OpenSearch client does the signing, as for every other call.
import type { Client } from "@opensearch-project/opensearch";
import { securityRequests, type RoleHolders } from "../../search-security/searchRoles.ts";
import { readStoreConfig } from "../../store/StoreConfig.ts";
import { createSearchClient } from "./createSearchClient.ts";

/** The security API refused a call; names it and what came back. */
export class SearchSecurityError extends Error {
  override readonly name = "SearchSecurityError";
}

function describe(error: unknown): string {
  const e = error as { meta?: { statusCode?: number; body?: unknown }; message?: string };
  const status = e.meta?.statusCode;
  const body = e.meta?.body === undefined ? "" : typeof e.meta.body === "string" ? e.meta.body : JSON.stringify(e.meta.body);
  return `${status ? `HTTP ${status}` : (e.message ?? String(error))}${body ? ` ${body.slice(0, 300)}` : ""}`;
}

export async function applySearchSecurity(client: Client, holders: RoleHolders): Promise<string[]> {
  const applied: string[] = [];
  for (const request of securityRequests(holders)) {
    try {
      await client.transport.request({ method: request.method, path: request.path, body: request.body as Record<string, unknown> });
    } catch (error) {
      const status = (error as { meta?: { statusCode?: number } }).meta?.statusCode;
      const hint = status === 401 || status === 403 ? " (the caller is not the domain's master user: see searchMasterUserArn in README)" : "";
      throw new SearchSecurityError(`${request.method} ${request.path}: ${describe(error)}${hint}`, { cause: error });
    }
    applied.push(`${request.method} ${request.path}`);
  }
  return applied;
}

/**
 * Applies them to the domain at `domainEndpoint` (CloudFormation gives the host;
 * a URL, as tests and proxies give, is taken as it is) with a client of its own,
 * signed with the function's role, closed at the end.
 */
export async function applySearchSecurityAt(domainEndpoint: string, holders: RoleHolders): Promise<string[]> {
  const endpoint = domainEndpoint.includes("://") ? domainEndpoint : `https://${domainEndpoint}`;
  const client = createSearchClient(readStoreConfig(process.env, { endpoint, auth: "sigv4", maxRetries: 2 }));
  try {
    return await applySearchSecurity(client, holders);
  } finally {
    await client.close();
  }
}
