// The SQS + S3 emulator in its thread (startInThread): its SQLite writes are synchronous.
import { workerData } from "node:worker_threads";
import { startSqsS3, type SqsS3Options } from "../sqs-s3/startSqsS3.ts";
import { servePart } from "./partThread.ts";

await servePart(() => startSqsS3(workerData as SqsS3Options), (s) => ({ url: s.url, releasedInFlight: s.releasedInFlight }));
