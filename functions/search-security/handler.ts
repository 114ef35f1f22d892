import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { runCustomResource, type CustomResourceEvent } from "../../lib/cloudformation/customResource.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { applySearchSecurity } from "../../lib/adapters/opensearch/applySearchSecurity.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";

const logger = createLogger("search-security");

interface Properties {
  /** The domain's endpoint host (Fn::GetAtt SearchDomain.DomainEndpoint). */
  DomainEndpoint: string;
  DashboardRoleArns: string[];
  ScrapperRoleArns: string[];
}

/**
 * CloudFormation custom resource: the fine-grained access control roles
 * cryptoviz-dashboard and cryptoviz-scrapper and their IAM role mappings,
 * applied after the domain exists and again whenever a mapped role changes.
 * Deleting the stack leaves them (the domain itself is retained).
 */
export async function handler(event: CloudFormationCustomResourceEvent) {
  const request = event as unknown as CustomResourceEvent<Properties>;
  const response = await runCustomResource(request, "cryptoviz-search-security", async (p) => {
    // CloudFormation gives the host; a URL (tests, a proxy) is taken as it is.
    const endpoint = p.DomainEndpoint.includes("://") ? p.DomainEndpoint : `https://${p.DomainEndpoint}`;
    const client = createSearchClient(readStoreConfig(process.env, { endpoint, auth: "sigv4", maxRetries: 2 }));
    try {
      const applied = await applySearchSecurity(client, { dashboard: p.DashboardRoleArns ?? [], scrapper: p.ScrapperRoleArns ?? [] });
      logger.info("search security applied", { applied });
    } finally {
      await client.close();
    }
  });
  logger.info("custom resource answered", { requestType: event.RequestType, status: response.Status, reason: response.Reason });
  return response;
}
