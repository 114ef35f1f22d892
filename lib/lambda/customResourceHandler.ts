// The CloudFormation custom-resource trigger: CloudFormation invokes the
// function with the request and waits for the answer PUT to its pre-signed URL
// (lib/cloudformation/customResource.ts), which every path sends, failures
// included. `apply` runs for Create and Update, `remove` for Delete.
import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { runCustomResource, type CustomResourceEvent, type CustomResourceResponse } from "../cloudformation/customResource.ts";

export interface CustomResourceHandlerOptions<P> {
  logger: Logger;
  /** The resource's physical id on Create (later requests keep the one CloudFormation sends). */
  physicalId: string;
  apply: (properties: P) => Promise<Record<string, string> | void>;
  /** Default: nothing (what was applied stays). */
  remove?: (properties: P) => Promise<void>;
}

export function customResourceHandler<P>({ logger, physicalId, apply, remove }: CustomResourceHandlerOptions<P>) {
  return middy<CloudFormationCustomResourceEvent, CustomResourceResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const response = await runCustomResource(event as unknown as CustomResourceEvent<P>, physicalId, apply, remove);
      logger.info("custom resource answered", { requestType: event.RequestType, status: response.Status, reason: response.Reason });
      return response;
    });
}
