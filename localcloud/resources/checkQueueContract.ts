import type { DeclaredResources } from "./declaredResources.ts";

/**
 * The queue rules from ARCHITECTURE.md that a declaration can break without
 * CloudFormation noticing. Returns one line per problem, naming where.
 */
export function checkQueueContract(declared: DeclaredResources): string[] {
  const problems: string[] = [];
  const byId = new Map(declared.queues.map((q) => [q.logicalId, q]));
  for (const source of declared.eventSources) {
    const queue = byId.get(source.queueLogicalId)!;
    const where = `functions.${source.functionKey} ← resources.${queue.logicalId}`;
    const visibility = Number(queue.attributes.VisibilityTimeout ?? 30);
    if (visibility < 6 * source.functionTimeout) {
      problems.push(`${where}: VisibilityTimeout ${visibility}s is below 6 × the function timeout (${source.functionTimeout}s)`);
    }
    if (!queue.redrive) problems.push(`${where}: the queue has no RedrivePolicy (dead-letter queue)`);
    if (!source.reportBatchItemFailures) problems.push(`${where}: functionResponseType must be ReportBatchItemFailures`);
    if (source.maximumConcurrency < 2 || source.maximumConcurrency > 1000) {
      problems.push(`${where}: maximumConcurrency must be 2..1000 (AWS's range), got ${source.maximumConcurrency}`);
    }
    const maxBatch = queue.fifo ? 10 : 10_000;
    if (source.batchSize < 1 || source.batchSize > maxBatch) problems.push(`${where}: batchSize must be 1..${maxBatch}, got ${source.batchSize}`);
    if (source.batchSize > 10 && source.maximumBatchingWindowSeconds < 1) {
      problems.push(`${where}: a batchSize above 10 needs maximumBatchingWindow of at least 1 s (AWS rule)`);
    }
    // "Batching window is not supported for FIFO queues" (Lambda's SQS parameters): not even 0,
    // which the framework would pass on as MaximumBatchingWindowInSeconds.
    if (queue.fifo && source.batchingWindowDeclared) {
      problems.push(`${where}: a FIFO queue's event source takes no maximumBatchingWindow, not even 0 (AWS rule); leave it out`);
    }
    if (source.maximumBatchingWindowSeconds < 0 || source.maximumBatchingWindowSeconds > 300) {
      problems.push(`${where}: maximumBatchingWindow must be 0..300 s`);
    }
  }
  for (const queue of declared.queues) {
    // SQS's rules: a FIFO queue's name ends in .fifo (and only its), and its DLQ is of its kind.
    if (queue.fifo !== queue.name.endsWith(".fifo")) {
      problems.push(`resources.${queue.logicalId}: ${queue.fifo ? "a FIFO queue's name must end in .fifo" : "only a FIFO queue's name may end in .fifo"} (${queue.name})`);
    }
    const dlq = queue.redrive ? byId.get(queue.redrive.deadLetterLogicalId) : undefined;
    if (dlq && dlq.fifo !== queue.fifo) {
      problems.push(`resources.${queue.logicalId}: its dead-letter queue ${dlq.logicalId} must be ${queue.fifo ? "FIFO" : "standard"} as it is`);
    }
    if (queue.attributes.MaximumMessageSize !== undefined && Number(queue.attributes.MaximumMessageSize) !== 262_144) {
      problems.push(`resources.${queue.logicalId}: MaximumMessageSize must be 262144 (the contract's limit)`);
    }
  }
  return problems;
}
