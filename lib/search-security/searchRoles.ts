// The seed design's two roles, as OpenSearch fine-grained access control roles,
// and who holds them: the API reads `cryptoviz-*`; the consumers read and write
// it. The IAM role of each function is the backend role FGAC maps (SigV4 signs
// every request with it). Nothing else is granted: no cluster administration,
// no other index.
import { createHash } from "node:crypto";

export const DASHBOARD_ROLE = "cryptoviz-dashboard";
export const SCRAPPER_ROLE = "cryptoviz-scrapper";

export interface RoleDefinition {
  cluster_permissions: string[];
  index_permissions: Array<{ index_patterns: string[]; allowed_actions: string[] }>;
}

export function searchRoles(indexPrefix = "cryptoviz-"): Record<string, RoleDefinition> {
  const indices = [`${indexPrefix}*`];
  return {
    [DASHBOARD_ROLE]: {
      // Searches that span several indices (cryptoviz-candles-1m-*,…) are read operations only.
      cluster_permissions: ["cluster_composite_ops_ro"],
      index_permissions: [{ index_patterns: indices, allowed_actions: ["read"] }],
    },
    [SCRAPPER_ROLE]: {
      // _bulk and _mget at the root, and the index templates the consumers install at start.
      cluster_permissions: ["cluster_composite_ops", "indices:admin/index_template/put", "indices:admin/index_template/get"],
      index_permissions: [
        { index_patterns: indices, allowed_actions: ["read", "write", "create_index", "indices:admin/refresh*", "indices:admin/mapping/put"] },
      ],
    },
  };
}

export interface RoleHolders {
  /** IAM role ARNs mapped to cryptoviz-dashboard (the api function's role). */
  dashboard: string[];
  /** IAM role ARNs mapped to cryptoviz-scrapper (the consumers' roles). */
  scrapper: string[];
}

export interface SecurityRequest {
  method: "PUT";
  path: string;
  body: unknown;
}

/**
 * The security plugin's REST calls that make the roles and mappings exactly
 * these: PUT replaces a role or a mapping, so applying them again (each
 * deploy) converges, and a role removed from a mapping loses its access.
 */
export function securityRequests(holders: RoleHolders, indexPrefix?: string): SecurityRequest[] {
  const roles = searchRoles(indexPrefix);
  const mapping = { [DASHBOARD_ROLE]: holders.dashboard, [SCRAPPER_ROLE]: holders.scrapper };
  return [
    ...Object.entries(roles).map(([name, body]) => ({ method: "PUT" as const, path: `/_plugins/_security/api/roles/${name}`, body })),
    ...Object.entries(mapping).map(([name, arns]) => ({
      method: "PUT" as const,
      path: `/_plugins/_security/api/rolesmapping/${name}`,
      body: { backend_roles: [...new Set(arns)].sort(), hosts: [], users: [] },
    })),
  ];
}

/**
 * A digest of the role definitions. serverless.yml passes it to the custom
 * resource, so that CloudFormation calls it again when the definitions change
 * (it only calls on a change of the resource's properties); a test keeps the two equal.
 */
export function rolesDigest(indexPrefix?: string): string {
  return createHash("sha256").update(JSON.stringify(searchRoles(indexPrefix))).digest("hex").slice(0, 12);
}
