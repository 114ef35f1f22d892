import type middy from "@middy/core";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { InvalidRequestError } from "../../../contracts/validation.ts";
import type { LogSink } from "../../log/LogSink.ts";
import { errorResponse } from "../../http/responses.ts";
import { apiGatewayResultOf } from "./apiGatewayEvent.ts";

/**
 * Middy middleware: turns errors into JSON answers (where @middy/http-error-handler
 * would answer text/plain and cannot name the field at fault). Invalid input → 400 naming
 * the field; middy HTTP errors keep their status; anything else → 500 without
 * internals (logged in full).
 */
export function jsonErrors(logger: Pick<LogSink, "error">): middy.MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: async function jsonErrorsOnError(request) {
      const error = request.error as (Error & { statusCode?: number; expose?: boolean }) | null;
      if (!error) return;
      if (error instanceof InvalidRequestError) {
        request.response = apiGatewayResultOf(errorResponse(400, "invalid_request", error.reason, error.field));
      } else if (error.statusCode && error.statusCode < 500 && error.expose !== false) {
        request.response = apiGatewayResultOf(errorResponse(error.statusCode, "request_error", error.message));
      } else {
        logger.error("request failed", { error: String(error), stack: error.stack });
        request.response = apiGatewayResultOf(errorResponse(500, "internal_error", "the request could not be completed; see the function's logs"));
      }
    },
  };
}
