import { applySearchSecurityAt } from "../../lib/adapters/opensearch/applySearchSecurity.ts";
import { customResourceHandler } from "../../lib/lambda/customResourceHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import type { SearchSecurityProperties } from "../../lib/search-security/SearchSecurityProperties.ts";

const logger = createLogger("search-security");

/**
 * CloudFormation custom resource: the fine-grained access control roles
 * cryptoviz-dashboard and cryptoviz-scrapper and their IAM role mappings,
 * applied after the domain exists and again whenever a mapped role changes.
 * Deleting the stack leaves them (the domain itself is retained).
 */
export const handler = customResourceHandler<SearchSecurityProperties>({
  logger,
  physicalId: "cryptoviz-search-security",
  apply: async (p) => {
    const applied = await applySearchSecurityAt(p.DomainEndpoint, { dashboard: p.DashboardRoleArns ?? [], scrapper: p.ScrapperRoleArns ?? [] });
    logger.info("search security applied", { applied });
  },
});
