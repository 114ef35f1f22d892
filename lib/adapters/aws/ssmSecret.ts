// A secret kept in SSM Parameter Store (SecureString), read with Powertools'
// parameters utility: decrypted, cached for maxAge seconds (so a rotated value
// reaches warm containers without a redeploy), and fetched once per container
// at cold start rather than on every request.
import type { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import type { Secret } from "../../secrets/Secret.ts";
import { SecretUnavailableError } from "../../secrets/SecretUnavailableError.ts";

export function ssmSecret(name: string, provider: SSMProvider, maxAgeSeconds: number, source = `SSM parameter ${name}`): Secret {
  // Powertools caches a value once it has arrived; requests that come while it
  // is on its way (the cold start's prefetch and the first request) share one call.
  let inFlight: Promise<string | undefined> | undefined;
  const read = async (): Promise<string | undefined> => {
    try {
      const value = await provider.get(name, { decrypt: true, maxAge: maxAgeSeconds });
      return typeof value === "string" && value !== "" ? value : undefined;
    } catch (error) {
      throw new SecretUnavailableError(source, error);
    } finally {
      inFlight = undefined;
    }
  };
  return {
    source,
    value: () => (inFlight ??= read()),
  };
}
