// Queue admin: list, peek, purge, redrive — against the local cloud (stage
// local, the default) or real AWS (any other stage). Run `npm run queues -- help`.
import { parseArgs } from "node:util";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DEPLOY_DEFAULT_REGION } from "../lib/config/deployRegion.ts";
import { QueueAdmin, QueueAdminError, type QueueStatus } from "../lib/adapters/aws/QueueAdmin.ts";

const USAGE = `usage: npm run queues -- <command> [options]

commands:
  list                          queues with depth, in-flight and their DLQ's depth
  peek <queue> [-n N]           show up to N messages (default 10) without consuming them
  purge <queue> --yes           delete every message in a queue
  redrive <dlq> [--to <queue>] [--max N]
                                move dead-lettered messages back to their source queue

options:
  --stage <name>      local (default: the embedded local cloud) or a deployed stage (real AWS)
  --endpoint <url>    SQS endpoint (default for local: http://127.0.0.1:$CRYPTOVIZ_SQS_S3_PORT or 4566)
  --region <region>   AWS region (default: $AWS_REGION, else us-east-1 locally and ${DEPLOY_DEFAULT_REGION}, the deploy default, for a deployed stage)
  --json              machine-readable output
queue names may be given without the "cryptoviz-<stage>-" prefix, e.g. news-tasks-dlq`;

class UsageError extends Error {}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

function printList(queues: QueueStatus[]): void {
  if (queues.length === 0) return console.log("no queues (is the stack running / deployed for this stage?)");
  const width = Math.max(...queues.map((q) => q.name.length)) + 2;
  console.log(`${pad("QUEUE", width)}${pad("DEPTH", 8)}${pad("IN-FLIGHT", 11)}DEAD-LETTER`);
  for (const q of queues) {
    const dlq = q.deadLetter
      ? `${q.deadLetter.name} (${q.deadLetter.depth} message${q.deadLetter.depth === 1 ? "" : "s"}, after ${q.deadLetter.maxReceiveCount} receives)`
      : q.deadLetterFor.length > 0
        ? `is the DLQ of ${q.deadLetterFor.join(", ")}`
        : "-";
    console.log(`${pad(q.name, width)}${pad(q.depth, 8)}${pad(q.inFlight, 11)}${dlq}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stage: { type: "string", default: "local" },
      endpoint: { type: "string" },
      region: { type: "string" },
      n: { type: "string", short: "n" },
      max: { type: "string" },
      to: { type: "string" },
      yes: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command || command === "help") return console.log(USAGE);
  const positiveInt = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${flag} must be a positive integer, got "${raw}"`);
    return Number(raw);
  };
  const n = positiveInt("n", values.n);
  const max = positiveInt("max", values.max);

  const local = values.stage === "local";
  // The local cloud's region locally; the deploy default (serverless.yml) for a deployed stage.
  const region = values.region ?? process.env.AWS_REGION ?? (local ? "us-east-1" : DEPLOY_DEFAULT_REGION);
  const endpoint = values.endpoint ?? (local ? `http://127.0.0.1:${process.env.CRYPTOVIZ_SQS_S3_PORT ?? "4566"}` : undefined);
  const sqs = new SQSClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    // An emulator takes any credentials; real AWS uses the SDK's own chain.
    ...(local || (values.endpoint && !process.env.AWS_ACCESS_KEY_ID) ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    maxAttempts: 2,
  });
  const admin = new QueueAdmin(sqs, `cryptoviz-${values.stage}-`);
  const need = (what: string) => {
    if (!target) throw new UsageError(`${command} needs a ${what}`);
    return target;
  };
  const out = (data: unknown, human: () => void) => (values.json ? console.log(JSON.stringify(data, null, 2)) : human());
  try {
    switch (command) {
      case "list": {
        const queues = await admin.list();
        return out(queues, () => printList(queues));
      }
      case "peek": {
        const messages = await admin.peek(need("queue name"), n ?? 10);
        return out(messages, () => {
          if (messages.length === 0) console.log("no messages visible");
          for (const m of messages) {
            console.log(`- ${m.messageId}  received ${m.receiveCount}×  sent ${m.sentAt}${m.failureReason ? `\n  reason: ${m.failureReason}` : ""}`);
            console.log(`  ${m.body.length > 500 ? `${m.body.slice(0, 500)}… (${m.body.length} bytes)` : m.body}`);
          }
        });
      }
      case "purge": {
        const queue = need("queue name");
        if (!values.yes) throw new UsageError(`purge deletes every message in ${queue}: add --yes to confirm`);
        const count = await admin.purge(queue);
        return out({ purged: count }, () => console.log(`purged ${queue} (${count} message(s) were visible)`));
      }
      case "redrive": {
        const moved = await admin.redrive(need("dead-letter queue name"), { ...(max ? { max } : {}), ...(values.to ? { to: values.to } : {}) });
        return out({ moved }, () => console.log(`moved ${moved} message(s) back to their source queue`));
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    sqs.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`queues: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const code = (error as { cause?: { code?: string }; code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === "ECONNREFUSED") console.error("queues: cannot reach SQS: is the local cloud running (npm start)?");
  else if (error instanceof QueueAdminError) console.error(`queues: ${error.message}`);
  else console.error(`queues: ${(error as Error).name}: ${(error as Error).message}`);
  process.exit(1);
});
