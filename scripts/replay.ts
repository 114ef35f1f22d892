// Replay: re-enqueue a time range of the raw archive (backfill after an outage,
// or reprocessing). Run `npm run replay -- --help`.
import { parseArgs } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DEPLOY_DEFAULT_REGION } from "../lib/config/deployRegion.ts";
import { replayArchive } from "../lib/market/replay/replayArchive.ts";
import { QueueProducer } from "../lib/adapters/aws/QueueProducer.ts";
import { S3RawArchive } from "../lib/adapters/aws/S3RawArchive.ts";

const USAGE = `usage: npm run replay -- --source <name> --from <ISO time> --to <ISO time> [options]

Re-enqueues every raw batch of <source> archived in an hour partition that
overlaps [from, to) (UTC; raw/<source>/yyyy/mm/dd/hh/), with the envelope ids it
was first sent with, so the consumers treat a replay as the redelivery it is.
Market records go to the price queue, news articles to the news queue.

  --source <name>     archive partition: binance, kucoin, bitmex, or a webhook source (u.today)
  --from <time>       e.g. 2026-11-22T09:00Z (inclusive)
  --to <time>         e.g. 2026-11-22T11:00Z (exclusive)
  --stage <name>      local (default: the embedded local cloud) or a deployed stage (real AWS)
  --endpoint <url>    SQS/S3 endpoint (default for local: http://127.0.0.1:$CRYPTOVIZ_SQS_S3_PORT or 4566)
  --region <region>   AWS region (default: $AWS_REGION, else us-east-1 locally and ${DEPLOY_DEFAULT_REGION}, the deploy default, for a deployed stage)
  --bucket <name>     raw bucket (default: cryptoviz-<stage>-raw; set it when deployed with a bucketPrefix)
  --price-queue <n>   default cryptoviz-<stage>-price-tasks.fifo
  --news-queue <n>    default cryptoviz-<stage>-news-tasks
  --dry-run           list and count, send nothing
  --json              machine-readable output`;

class UsageError extends Error {}

function time(flag: string, raw: string | undefined): Date {
  if (!raw) throw new UsageError(`--${flag} is required`);
  const ms = Date.parse(raw);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(raw)) throw new UsageError(`--${flag} must be an ISO time such as 2026-11-22T09:00Z, got "${raw}"`);
  return new Date(ms);
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      stage: { type: "string", default: "local" },
      endpoint: { type: "string" },
      region: { type: "string" },
      bucket: { type: "string" },
      "price-queue": { type: "string" },
      "news-queue": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (!values.source || !/^[a-z0-9][a-z0-9.-]{0,63}$/.test(values.source)) throw new UsageError("--source must name an archive partition such as binance");
  const from = time("from", values.from);
  const to = time("to", values.to);
  if (from.getTime() >= to.getTime()) throw new UsageError("--from must be before --to");

  const stage = values.stage;
  const local = stage === "local";
  // The local cloud's region locally; the deploy default (serverless.yml) for a deployed stage.
  const region = values.region ?? process.env.AWS_REGION ?? (local ? "us-east-1" : DEPLOY_DEFAULT_REGION);
  const endpoint = values.endpoint ?? (local ? `http://127.0.0.1:${process.env.CRYPTOVIZ_SQS_S3_PORT ?? "4566"}` : undefined);
  const common = {
    region,
    ...(endpoint ? { endpoint } : {}),
    // An emulator takes any credentials; real AWS uses the SDK's own chain.
    ...(local || (values.endpoint && !process.env.AWS_ACCESS_KEY_ID) ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    maxAttempts: 3,
  };
  const sqs = new SQSClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: endpoint !== undefined });
  const bucket = values.bucket ?? `cryptoviz-${stage}-raw`;
  const urlOf = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  try {
    const dryRun = values["dry-run"];
    const queueUrls = dryRun
      ? { market: "dry-run" }
      : {
          market: await urlOf(values["price-queue"] ?? `cryptoviz-${stage}-price-tasks.fifo`),
          news: await urlOf(values["news-queue"] ?? `cryptoviz-${stage}-news-tasks`),
        };
    const stats = await replayArchive({
      archive: new S3RawArchive(s3, bucket), producer: new QueueProducer(sqs, { claimCheck: { s3, bucket } }), queueUrls, source: values.source, from, to,
      correlationId: `replay-${values.source}-${from.toISOString()}`, dryRun,
    });
    if (values.json) return console.log(JSON.stringify(stats, null, 2));
    const verb = dryRun ? "would re-enqueue" : "re-enqueued";
    console.log(`${verb} ${stats.envelopes} message(s) from ${stats.objects} archived batch(es) of ${values.source}: ${stats.trades} trades, ${stats.quotes} quotes, ${stats.articles} articles, ${stats.skipped} skipped (ticks or unreadable lines)`);
  } finally {
    sqs.destroy();
    s3.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const parseError = String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
  if (error instanceof UsageError || error instanceof RangeError || parseError) {
    console.error(`replay: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === "ECONNREFUSED") console.error("replay: cannot reach SQS/S3: is the local cloud running (npm start)?");
  else console.error(`replay: ${(error as Error).name}: ${(error as Error).message}`);
  process.exit(1);
});
