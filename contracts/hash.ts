import { createHash } from "node:crypto";

/** Hex SHA-256 of `text`, cut to `length` characters: the deterministic ids of batches, messages and listings. */
export function sha256Hex(text: string, length = 32): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
