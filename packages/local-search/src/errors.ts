// OpenSearch-shaped errors. Every failure the server reports is a SearchError;
// the HTTP layer turns it into {error:{root_cause,type,reason,...},status}.

export interface ErrorCause {
  type: string;
  reason: string;
  [extra: string]: unknown;
}

export class SearchError extends Error {
  readonly status: number;
  readonly type: string;
  readonly extra: Record<string, unknown>;
  readonly causedBy: ErrorCause | undefined;
  readonly rootCauses: ErrorCause[] | undefined;

  constructor(
    status: number,
    type: string,
    reason: string,
    opts: { extra?: Record<string, unknown>; causedBy?: ErrorCause; rootCauses?: ErrorCause[] } = {},
  ) {
    // An answer to the client, never a fault of ours: no stack to capture. A bulk of
    // duplicate creates makes one per item, and the capture was a third of their cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
    this.name = "SearchError";
    this.status = status;
    this.type = type;
    this.extra = opts.extra ?? {};
    this.causedBy = opts.causedBy;
    this.rootCauses = opts.rootCauses;
  }

  get reason(): string {
    return this.message;
  }

  /** The error object as it appears inside responses (bulk items, caused_by). */
  toCause(): ErrorCause {
    const cause: ErrorCause = { type: this.type, reason: this.message, ...this.extra };
    if (this.causedBy) cause.caused_by = this.causedBy;
    return cause;
  }

  /** The full REST error body. */
  toBody(): { error: Record<string, unknown>; status: number } {
    const self = { type: this.type, reason: this.message, ...this.extra };
    const rootCause = this.rootCauses ?? [self];
    const error: Record<string, unknown> = { root_cause: rootCause, ...self };
    if (this.causedBy) error.caused_by = this.causedBy;
    return { error, status: this.status };
  }
}

const NA_UUID = "_na_";

function indexExtra(index: string, uuid = NA_UUID): Record<string, unknown> {
  return { index, index_uuid: uuid };
}

export function indexNotFound(index: string): SearchError {
  return new SearchError(404, "index_not_found_exception", "no such index [" + index + "]", {
    extra: { "resource.type": "index_or_alias", "resource.id": index, ...indexExtra(index) },
  });
}

export function indexAlreadyExists(index: string, uuid: string): SearchError {
  return new SearchError(400, "resource_already_exists_exception", `index [${index}/${uuid}] already exists`, {
    extra: indexExtra(index, uuid),
  });
}

export function invalidIndexName(index: string, why: string): SearchError {
  return new SearchError(400, "invalid_index_name_exception", `Invalid index name [${index}], ${why}`, {
    extra: indexExtra(index),
  });
}

export function versionConflict(index: string, uuid: string, id: string, detail: string): SearchError {
  return new SearchError(409, "version_conflict_engine_exception", `[${id}]: version conflict, ${detail}`, {
    extra: { index, shard: "0", index_uuid: uuid },
  });
}

export function documentMissing(index: string, uuid: string, id: string): SearchError {
  return new SearchError(404, "document_missing_exception", `[${id}]: document missing`, {
    extra: { index, shard: "0", index_uuid: uuid },
  });
}

export function parsingError(reason: string): SearchError {
  return new SearchError(400, "parsing_exception", reason);
}

export function xContentParse(reason: string): SearchError {
  return new SearchError(400, "x_content_parse_exception", reason);
}

export function illegalArgument(reason: string): SearchError {
  return new SearchError(400, "illegal_argument_exception", reason);
}

export function validationFailed(...problems: string[]): SearchError {
  const reason = "Validation Failed: " + problems.map((p, i) => `${i + 1}: ${p};`).join("");
  return new SearchError(400, "action_request_validation_exception", reason);
}

export function mapperParsing(reason: string, causedBy?: ErrorCause): SearchError {
  return new SearchError(400, "mapper_parsing_exception", reason, causedBy ? { causedBy } : {});
}

export function resourceNotFound(reason: string): SearchError {
  return new SearchError(404, "resource_not_found_exception", reason);
}

/** Marker reason suffix used wherever a real OpenSearch feature is knowingly not implemented. */
export const LOCAL = "the CryptoViz local search endpoint";

export function unsupported(feature: string): SearchError {
  return new SearchError(400, "illegal_argument_exception", `${feature} is not supported by ${LOCAL}`);
}

/**
 * Errors raised while a search executes on a shard are wrapped the way OpenSearch
 * wraps them: search_phase_execution_exception / "all shards failed", with the
 * shard error as root cause and in failed_shards.
 */
export function shardFailure(inner: SearchError, index: string): SearchError {
  const cause = inner.toCause();
  return new SearchError(inner.status, "search_phase_execution_exception", "all shards failed", {
    extra: {
      phase: "query",
      grouped: true,
      failed_shards: [{ shard: 0, index, node: "local", reason: cause }],
    },
    causedBy: cause,
    rootCauses: [cause],
  });
}

export function asSearchError(err: unknown): SearchError {
  if (err instanceof SearchError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // An unexpected internal failure. 500 like OpenSearch, never 502/503/504.
  return new SearchError(500, "exception", message);
}
