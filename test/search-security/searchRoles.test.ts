// The roles the search-security custom resource applies (its handler's test:
// functions/search-security/handler.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { securityRequests } from "../../lib/search-security/searchRoles.ts";

describe("the fine-grained access control roles", () => {
  it("cryptoviz-dashboard reads cryptoviz-* only; cryptoviz-scrapper reads and writes it; neither administers the cluster", () => {
    const [dashboard, scrapper] = securityRequests({ dashboard: [], scrapper: [] }).map((r) => r.body as { cluster_permissions: string[]; index_permissions: Array<{ index_patterns: string[]; allowed_actions: string[] }> });
    assert.deepEqual(dashboard!.index_permissions, [{ index_patterns: ["cryptoviz-*"], allowed_actions: ["read"] }]);
    assert.deepEqual(dashboard!.cluster_permissions, ["cluster_composite_ops_ro"]);
    assert.deepEqual(scrapper!.index_permissions[0]!.index_patterns, ["cryptoviz-*"]);
    assert.ok(scrapper!.index_permissions[0]!.allowed_actions.includes("write"));
    for (const role of [dashboard!, scrapper!]) assert.ok(!role.cluster_permissions.some((p) => /all|manage|admin\/(?!index_template)/.test(p)), JSON.stringify(role.cluster_permissions));
  });
});
