// The SQS character check every producer applies before archiving or sending:
// what real SQS refuses is refused with the field named; what it accepts
// (emoji included) passes, whatever the local emulator thinks of it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Envelope } from "../../contracts/envelope.ts";
import { InvalidMessageTextError, QueueProducer } from "../../lib/adapters/aws/QueueProducer.ts";
import { findInvalidSqsText, firstInvalidSqsCodePoint, toSqsSafeText } from "../../lib/queue/sqsText.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";

describe("SQS's allowed characters", () => {
  it("refuses noncharacters, lone surrogates and control characters, naming the code point", () => {
    const refused: Array<[string, number]> = [
      ["a\uFFFFb", 0xffff],
      ["\uFFFE", 0xfffe],
      ["lone high \uD83D here", 0xd83d],
      ["lone low \uDE00 here", 0xde00],
      ["reversed pair \uDE00\uD83D", 0xde00],
      ["nul \u0000", 0],
      ["vertical tab \u000B", 0x0b],
      ["escape \u001B[31m", 0x1b],
    ];
    for (const [text, codePoint] of refused) assert.equal(firstInvalidSqsCodePoint(text), codePoint, JSON.stringify(text));
  });

  it("accepts emoji (a surrogate pair is one character above U+FFFF), every plane's letters, tab, newline and CR", () => {
    for (const text of ["Bitcoin 🚀 to the moon 🌕", "👩‍💻 and 🏳️‍🌈", "\u{10FFFF}", "\u{1D11E}", "中文 한국어 العربية", "\uE000\uFFFD", "tab\tnew\nline\r"]) {
      assert.equal(firstInvalidSqsCodePoint(text), undefined, JSON.stringify(text));
    }
  });

  it("names the first field at fault in document order, keys included", () => {
    const body = { source: "u.today", items: [{ title: "ok 🚀" }, { title: "ok", tags: ["fine", "bad\uFFFF"] }, { title: "\uD800" }] };
    assert.deepEqual(findInvalidSqsText(body), { path: "items[1].tags[1]", codePoint: 0xffff });
    assert.deepEqual(findInvalidSqsText({ items: [{ ["k\uFFFE"]: 1 }] }), { path: "items[0].k\uFFFE", codePoint: 0xfffe });
    assert.deepEqual(findInvalidSqsText("\uFFFF"), { path: "body", codePoint: 0xffff });
    assert.equal(findInvalidSqsText({ n: 1, b: true, z: null, e: "🚀" }), undefined);
  });

  it("walks a value nested 100,000 deep without recursing", () => {
    let deep: unknown = "\uFFFF";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(findInvalidSqsText(deep)?.codePoint, 0xffff);
  });

  it("replaces what SQS refuses with U+FFFD for texts we write ourselves, keeping emoji", () => {
    assert.equal(toSqsSafeText("a\uFFFFb\uD800c🚀"), "a\uFFFDb\uFFFDc🚀");
  });
});

describe("QueueProducer refuses text SQS would refuse before sending anything", () => {
  let cloud: LocalSqsS3;
  let queueUrl: string;
  before(async () => {
    cloud = await startLocalSqsS3();
    const created = await createQueues(cloud, queueWithDlq("sqstext", { visibilityTimeout: 30, maxReceiveCount: 3 }));
    queueUrl = created.queues.get("sqstext")!.url;
  });
  after(() => cloud.close());

  const envelope = (i: number, text: string): Envelope => ({
    schema: "test.note/v1", id: `n${i}`, source: "test", producedAt: "2026-11-22T10:00:00Z", correlationId: "c", payload: { text },
  });

  it("names the envelope and field when the 13th of 15 holds U+FFFF, and the queue stays empty (no half-sent call)", async () => {
    const envelopes = Array.from({ length: 15 }, (_, i) => envelope(i, i === 12 ? "bad \uFFFF" : `note ${i}`));
    await assert.rejects(new QueueProducer(cloud.sqs).send(queueUrl, envelopes), (error: unknown) => {
      assert.ok(error instanceof InvalidMessageTextError);
      assert.equal(error.envelopeId, "n12");
      assert.equal(error.field, "payload.text");
      assert.match(error.message, /U\+FFFF/);
      return true;
    });
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(Messages.length, 0, "the first batch of ten was not sent either");
  });
});
