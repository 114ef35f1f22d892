import { GetObjectCommand, NoSuchKey, type S3Client } from "@aws-sdk/client-s3";
import { findExcessiveNesting, nestingReason } from "../../json/jsonNesting.ts";
import type { PayloadRef } from "../../../contracts/envelope.ts";
import { PoisonMessageError } from "../../queue/errors.ts";

/** Where producers put claim-checked payloads (QueueProducer): a reference anywhere else is not ours to read. */
export interface ClaimCheckLocation {
  bucket: string;
  keyPrefix?: string;
}

/**
 * S3's answers for an object or bucket that does not exist. They can never
 * change by retrying, so the message is poison (DLQ with the reason at once)
 * rather than retried until SQS moves it to the DLQ without one.
 */
function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return error instanceof NoSuchKey || e.name === "NoSuchKey" || e.name === "NoSuchBucket" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}

/** Loads a claim-checked payload from S3; a missing bucket or object, or a reference outside `store`, is poison. */
export function s3PayloadResolver(s3: S3Client, store?: ClaimCheckLocation): (ref: PayloadRef) => Promise<unknown> {
  const prefix = store?.keyPrefix ?? "payloads/";
  return async (ref) => {
    const where = `s3://${ref.bucket}/${ref.key}`;
    if (store && (ref.bucket !== store.bucket || !ref.key.startsWith(prefix))) {
      throw new PoisonMessageError("payloadRef", `${where} is outside the claim-check store s3://${store.bucket}/${prefix}`);
    }
    let text: string;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      text = await object.Body!.transformToString();
    } catch (error) {
      if (isMissing(error)) throw new PoisonMessageError("payloadRef", `${where} does not exist (${(error as Error).name})`);
      throw error;
    }
    const nesting = findExcessiveNesting(text);
    if (nesting) throw new PoisonMessageError("payloadRef", `${where} ${nestingReason(nesting)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new PoisonMessageError("payloadRef", `${where} is not JSON`);
    }
  };
}
