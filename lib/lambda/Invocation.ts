import type { Context } from "aws-lambda";

/** What a handler's code may know of its invocation, without Lambda's types. */
export interface Invocation {
  /** Milliseconds left before the function's timeout. */
  remainingTimeMs(): number;
  /** The invocation's request id (Lambda's awsRequestId). */
  requestId: string;
}

export function invocationOf(context: Context): Invocation {
  return { remainingTimeMs: () => context.getRemainingTimeInMillis(), requestId: context.awsRequestId };
}
