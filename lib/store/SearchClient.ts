// The part of an OpenSearch client the store uses, declared here so the store
// depends on no client library: `@opensearch-project/opensearch`'s Client fits
// it (lib/adapters/opensearch/createSearchClient.ts builds one), and so does
// anything else that answers the same six calls with `{ body }`.
//
// Transport failures are told apart by their shape (`name`, `statusCode`,
// `body`: see lib/store/bulkWrite.ts), not by the client's error classes.

/** Request parameters as OpenSearch's REST API names them (`index`, `body`, `size`, `ignore_unavailable` …). */
export type SearchParams = Record<string, unknown>;

export interface SearchResponse {
  body: unknown;
}

export interface SearchClient {
  search(params: SearchParams): Promise<SearchResponse>;
  mget(params: { body: { docs: Array<{ _index: string; _id: string }> } }): Promise<SearchResponse>;
  /** `body`: the NDJSON lines (a string; typed as clients type a list of operations). */
  bulk(params: { body: Array<Record<string, unknown>>; filter_path?: string[]; refresh?: "true" }): Promise<SearchResponse>;
  indices: {
    putIndexTemplate(params: { name: string; body: unknown }): Promise<unknown>;
    putMapping(params: { index: string; body: never; allow_no_indices?: boolean; ignore_unavailable?: boolean }): Promise<unknown>;
    refresh(params: { index: string; ignore_unavailable?: boolean }): Promise<unknown>;
  };
}
