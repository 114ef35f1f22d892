import { GetObjectCommand, NoSuchKey, type S3Client } from "@aws-sdk/client-s3";
import type { PayloadRef } from "./envelope.ts";
import { PoisonMessageError } from "./errors.ts";

/** Loads a claim-checked payload from S3; a missing object can never succeed, so it is poison. */
export function s3PayloadResolver(s3: S3Client): (ref: PayloadRef) => Promise<unknown> {
  return async (ref) => {
    let text: string;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      text = await object.Body!.transformToString();
    } catch (error) {
      if (error instanceof NoSuchKey) throw new PoisonMessageError("payloadRef", `s3://${ref.bucket}/${ref.key} does not exist`);
      throw error;
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new PoisonMessageError("payloadRef", `s3://${ref.bucket}/${ref.key} is not JSON`);
    }
  };
}
