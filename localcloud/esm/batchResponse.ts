/**
 * Which records of a delivered batch to delete, following Lambda's rules for
 * ReportBatchItemFailures: an empty or missing list is full success; a
 * malformed response, or an itemIdentifier that is empty or not in the batch,
 * fails the whole batch.
 */
export function recordsToDelete(
  messageIds: readonly string[],
  payload: unknown,
  reportBatchItemFailures: boolean,
): { delete: string[]; returned: string[]; wholeBatchFailed: boolean; reason?: string } {
  const all = { delete: [...messageIds], returned: [], wholeBatchFailed: false };
  if (!reportBatchItemFailures || payload === null || payload === undefined || payload === "") return all;
  const fail = (reason: string) => ({ delete: [], returned: [...messageIds], wholeBatchFailed: true, reason });
  if (typeof payload !== "object" || Array.isArray(payload)) return fail("response is not a JSON object");
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return all;
  if (!Array.isArray(failures)) return fail("batchItemFailures is not a list");
  const inBatch = new Set(messageIds);
  const failed = new Set<string>();
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "" || !inBatch.has(id)) {
      return fail(`invalid itemIdentifier ${JSON.stringify(id)}`);
    }
    failed.add(id);
  }
  return {
    delete: messageIds.filter((id) => !failed.has(id)),
    returned: messageIds.filter((id) => failed.has(id)),
    wholeBatchFailed: false,
  };
}
