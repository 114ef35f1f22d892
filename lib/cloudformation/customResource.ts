// A CloudFormation custom resource's side of the protocol: CloudFormation
// invokes the function with the request, and waits (up to an hour) for a
// response PUT to the pre-signed S3 URL it sent. Every path must answer,
// failures included, or the stack hangs.

export interface CustomResourceEvent<P = Record<string, unknown>> {
  RequestType: "Create" | "Update" | "Delete";
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType?: string;
  ResourceProperties: P & { ServiceToken?: string };
  OldResourceProperties?: P;
}

export interface CustomResourceResponse {
  Status: "SUCCESS" | "FAILED";
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** Sends the response. The URL is pre-signed for a PUT with no content type: any other header breaks the signature. */
export async function sendResponse(url: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  const answer = await fetch(url, { method: "PUT", body, headers: { "content-type": "", "content-length": String(Buffer.byteLength(body)) } });
  if (!answer.ok) throw new Error(`CloudFormation's response URL answered HTTP ${answer.status}`);
}

/**
 * Runs `work` for Create and Update (Delete: `onDelete`, by default nothing) and
 * answers CloudFormation with its outcome; a failure becomes FAILED with its message.
 */
export async function runCustomResource<P>(
  event: CustomResourceEvent<P>,
  physicalId: string,
  work: (properties: P) => Promise<Record<string, string> | void>,
  onDelete: (properties: P) => Promise<void> = async () => undefined,
): Promise<CustomResourceResponse> {
  const base = { PhysicalResourceId: event.PhysicalResourceId ?? physicalId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  let response: CustomResourceResponse;
  try {
    const data = event.RequestType === "Delete" ? await onDelete(event.ResourceProperties) : await work(event.ResourceProperties);
    response = { ...base, Status: "SUCCESS", ...(data ? { Data: data } : {}) };
  } catch (error) {
    // CloudFormation shows the reason in the stack events; it is cut at 4 KB.
    response = { ...base, Status: "FAILED", Reason: ((error as Error).message ?? String(error)).slice(0, 3000) };
  }
  await sendResponse(event.ResponseURL, response);
  return response;
}
