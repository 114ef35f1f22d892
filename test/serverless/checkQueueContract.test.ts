import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkQueueContract } from "../../localcloud/resources/checkQueueContract.ts";
import { DeclarationError, declaredResources } from "../../localcloud/resources/declaredResources.ts";

const queue = (name: string, props: Record<string, unknown> = {}) => ({ Type: "AWS::SQS::Queue", Properties: { QueueName: name, ...props } });
const resources = (visibility: number) => ({
  JobsDlq: queue("jobs-dlq"),
  Jobs: queue("jobs", { VisibilityTimeout: visibility, MaximumMessageSize: 262144, RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["JobsDlq", "Arn"] }, maxReceiveCount: 3 } }),
  Raw: { Type: "AWS::S3::Bucket", Properties: { BucketName: "raw" } },
});
const fn = (sqs: Record<string, unknown>, timeout = 30) => ({
  worker: { name: "svc-dev-worker", timeout, events: [{ sqs: { arn: { "Fn::GetAtt": ["Jobs", "Arn"] }, ...sqs } }] },
});
const good = { batchSize: 10, maximumBatchingWindow: 1, maximumConcurrency: 2, functionResponseType: "ReportBatchItemFailures" };

describe("declaredResources + checkQueueContract", () => {
  it("reads queues (DLQs first), buckets and event sources from a declaration that keeps the contract", () => {
    const declared = declaredResources(resources(180), fn(good));
    assert.deepEqual(declared.queues.map((q) => q.name), ["jobs-dlq", "jobs"]);
    assert.deepEqual(declared.buckets.map((b) => b.name), ["raw"]);
    assert.deepEqual(declared.eventSources[0], {
      functionKey: "worker", functionName: "svc-dev-worker", queueLogicalId: "Jobs", batchSize: 10,
      maximumBatchingWindowSeconds: 1, batchingWindowDeclared: true, maximumConcurrency: 2, reportBatchItemFailures: true, functionTimeout: 30,
    });
    assert.deepEqual(checkQueueContract(declared), []);
  });

  it("names each broken rule and where it is broken", () => {
    const problems = checkQueueContract(declaredResources(resources(60), fn({ batchSize: 50, maximumConcurrency: 1 })));
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.ok(problems.some((p) => /VisibilityTimeout 60s is below 6 × the function timeout \(30s\)/.test(p)));
    assert.ok(problems.some((p) => /ReportBatchItemFailures/.test(p)));
    assert.ok(problems.some((p) => /maximumConcurrency must be 2\.\.1000/.test(p)));
    assert.ok(problems.some((p) => /batchSize above 10 needs maximumBatchingWindow/.test(p)));
    assert.ok(problems.every((p) => p.startsWith("functions.worker ← resources.Jobs")));
  });

  it("FIFO: the name ends in .fifo, the DLQ is FIFO too, and the event source has no batching window", () => {
    const fifo = (name: string, props: Record<string, unknown> = {}) => queue(name, { FifoQueue: true, ...props });
    const redrive = { RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["JobsDlq", "Arn"] }, maxReceiveCount: 3 } };
    const ok = { JobsDlq: fifo("jobs-dlq.fifo"), Jobs: fifo("jobs.fifo", { VisibilityTimeout: 180, DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId", ...redrive }) };
    const { maximumBatchingWindow: _none, ...fifoGood } = good;
    const declared = declaredResources(ok, fn(fifoGood));
    assert.deepEqual(checkQueueContract(declared), []);
    assert.deepEqual(declared.queues[1]!.attributes, { VisibilityTimeout: "180", DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId", FifoQueue: "true" });

    const broken = { JobsDlq: queue("jobs-dlq"), Jobs: fifo("jobs", { VisibilityTimeout: 180, ...redrive }), Other: queue("other.fifo") };
    const problems = checkQueueContract(declaredResources(broken, fn({ ...good, maximumBatchingWindow: 0 })));
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.ok(problems.some((p) => /resources\.Jobs: a FIFO queue's name must end in \.fifo/.test(p)));
    assert.ok(problems.some((p) => /resources\.Other: only a FIFO queue's name may end in \.fifo/.test(p)));
    assert.ok(problems.some((p) => /resources\.Jobs: its dead-letter queue JobsDlq must be FIFO/.test(p)));
    assert.ok(problems.some((p) => /FIFO queue's event source takes no maximumBatchingWindow, not even 0/.test(p)));
  });

  it("refuses references it cannot resolve", () => {
    assert.throws(() => declaredResources(resources(180), { w: { events: [{ sqs: { arn: "arn:aws:sqs:::x" } }] } }), DeclarationError);
    assert.throws(() => declaredResources({ Q: queue("q", { RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["Missing", "Arn"] }, maxReceiveCount: 2 } }) }, {}), /Missing is not declared/);
    assert.throws(() => declaredResources({ Q: { Type: "AWS::SQS::Queue", Properties: {} } }, {}), /QueueName is required/);
  });
});
