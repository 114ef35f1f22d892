// The IoT Core custom authorizer trigger: IoT invokes the function with the
// connection's credentials and expects a policy back. The authorize function
// gets where the policy applies: the region and the account, which Lambda
// tells through the function's own ARN.
import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { envString } from "../config/readEnv.ts";

export interface AuthorizerScope {
  region: string;
  /** The account of every ARN in the policy; `*` where the context names none (`invoke local`), never in Lambda. */
  accountId: string;
}

export function iotAuthorizerHandler<E, R>(authorize: (event: E, scope: AuthorizerScope) => Promise<R>, { logger }: { logger: Logger }) {
  const region = envString(process.env, "AWS_REGION", "us-east-1");
  return middy<E, R, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler((event, context) => authorize(event, { region, accountId: context?.invokedFunctionArn?.split(":")[4] || "*" }));
}
