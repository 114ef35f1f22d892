import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAuthorization } from "../../lib/http/parseAuthorization.ts";

describe("parseAuthorization", () => {
  it("reads `<scheme> <token>`, the scheme case-insensitively, around optional whitespace", () => {
    assert.deepEqual(parseAuthorization("Bearer abc.DEF-_~+/=="), { kind: "credentials", scheme: "bearer", token: "abc.DEF-_~+/==" });
    assert.deepEqual(parseAuthorization("  bEaReR   tok \t"), { kind: "credentials", scheme: "bearer", token: "tok" });
    assert.deepEqual(parseAuthorization("Basic dXNlcjpwdw=="), { kind: "credentials", scheme: "basic", token: "dXNlcjpwdw==" });
  });

  it("tells an absent header from a malformed one", () => {
    for (const header of [undefined, "", "   "]) assert.deepEqual(parseAuthorization(header), { kind: "absent" });
    for (const header of ["Bearer tok extra", "Bearer", "Bearer ", "tok", "Bearer tok,other", "Bearer to=k", "Bearer tök", "Bearer\ttok", "Bearer tok\n", "Bearer a b c"]) {
      assert.equal(parseAuthorization(header).kind, "malformed", JSON.stringify(header));
    }
  });
});
