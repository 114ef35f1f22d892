// Reads the current version (`_seq_no`, `_primary_term`) and source of many
// documents in one realtime `_mget`: the first step of every optimistic
// read-compute-write cycle.
import type { SearchClient } from "./SearchClient.ts";

export interface DocRef {
  index: string;
  id: string;
}

export interface StoredVersion<T> {
  seqNo: number;
  primaryTerm: number;
  source: T;
}

const CHUNK = 1000;

export function refKey(index: string, id: string): string {
  return `${index}\u0000${id}`;
}

interface MgetDoc {
  _index: string;
  _id: string;
  found?: boolean;
  _seq_no?: number;
  _primary_term?: number;
  _source?: unknown;
  error?: { type?: string; reason?: string };
}

/**
 * Map from `refKey(index, id)` to the stored version; absent means the
 * document (or its index) does not exist. Other per-document errors throw.
 */
export async function readVersions<T>(client: SearchClient, refs: readonly DocRef[]): Promise<Map<string, StoredVersion<T>>> {
  const out = new Map<string, StoredVersion<T>>();
  for (let i = 0; i < refs.length; i += CHUNK) {
    const docs = refs.slice(i, i + CHUNK).map((r) => ({ _index: r.index, _id: r.id }));
    const response = await client.mget({ body: { docs } });
    for (const d of (response.body as { docs: MgetDoc[] }).docs) {
      if (d.error !== undefined) {
        if (d.error.type === "index_not_found_exception") continue;
        throw new Error(`mget ${d._index}/${d._id}: ${d.error.type}: ${d.error.reason}`);
      }
      if (!d.found || d._seq_no === undefined || d._primary_term === undefined) continue;
      out.set(refKey(d._index, d._id), { seqNo: d._seq_no, primaryTerm: d._primary_term, source: d._source as T });
    }
  }
  return out;
}
