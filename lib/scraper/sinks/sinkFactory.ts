import type { ScraperConfig, SinkType } from "../configTypes.ts";
import type { RecordSink } from "./RecordSink.ts";
import { StdoutSink } from "./StdoutSink.ts";
import { WebhookSink } from "./WebhookSink.ts";

type Env = Record<string, string | undefined>;

/**
 * Chooses each config's sink: `override` (the CLI's --sink) or the config's own.
 * The queue sink (`sqs`: archive and enqueue, lib/adapters/aws/sqsSinkFromEnv.ts)
 * is built on first use, so stdout runs need no AWS settings.
 */
export function sinkFactory(queueSink: () => RecordSink, override?: SinkType, env: Env = process.env): (config: ScraperConfig) => RecordSink {
  let sqsSink: RecordSink | undefined;
  const stdout = new StdoutSink();
  const webhook = new WebhookSink({ env });
  return (config) => {
    const type = override ?? config.sink;
    if (type === "stdout") return stdout;
    if (type === "webhook") return webhook;
    sqsSink ??= queueSink();
    return sqsSink;
  };
}
