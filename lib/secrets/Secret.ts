// A secret a function needs (a token, a password), wherever it is kept: one
// code path reads a plain value locally and an SSM SecureString in AWS.

export interface Secret {
  /** Where the value comes from, for logs and errors: never the value itself. */
  readonly source: string;
  /** The current value; undefined when none is configured (callers then fail closed). */
  value(): Promise<string | undefined>;
}

/** A value given directly (local stages: env / serverless.yml params). */
export function literalSecret(value: string | undefined, source: string): Secret {
  const v = value === "" ? undefined : value;
  return { source, value: async () => v };
}

/**
 * The tokens a secret holds: one, or several separated by commas while a token
 * is being rotated ("new,old"). Verifiers accept any; callers send the first.
 */
export function tokensOf(value: string | undefined): string[] {
  return (value ?? "").split(",").map((t) => t.trim()).filter(Boolean);
}
