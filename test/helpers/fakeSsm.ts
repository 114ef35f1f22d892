// A stand-in for AWS Systems Manager Parameter Store (AWS itself cannot run
// here): the JSON 1.1 protocol's GetParameter and GetParameters, enough for the
// real SDK client and Powertools' parameters utility to talk to it unmodified.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeParameter {
  value: string;
  type?: "String" | "SecureString" | "StringList";
}

export interface FakeSsm {
  url: string;
  parameters: Map<string, FakeParameter>;
  /** Every call: `GetParameter /cryptoviz/prod/ingest-token decrypt`. */
  calls: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || "{}") as Record<string, unknown>;
}

export async function startFakeSsm(initial: Record<string, FakeParameter> = {}): Promise<FakeSsm> {
  const parameters = new Map(Object.entries(initial));
  const calls: string[] = [];
  const parameterOf = (name: string) => {
    const p = parameters.get(name)!;
    return { Name: name, Type: p.type ?? "SecureString", Value: p.value, Version: 1, ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${name}` };
  };
  const server = createServer(async (req, res) => {
    const target = String(req.headers["x-amz-target"] ?? "");
    const input = await body(req);
    const reply = (status: number, payload: unknown) => res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(payload));
    if (target === "AmazonSSM.GetParameter") {
      const name = String(input.Name);
      calls.push(`GetParameter ${name}${input.WithDecryption ? " decrypt" : ""}`);
      if (!parameters.has(name)) return reply(400, { __type: "ParameterNotFound", message: `Parameter ${name} not found.` });
      return reply(200, { Parameter: parameterOf(name) });
    }
    if (target === "AmazonSSM.GetParameters") {
      const names = (input.Names as string[]) ?? [];
      calls.push(`GetParameters ${names.join(",")}`);
      return reply(200, { Parameters: names.filter((n) => parameters.has(n)).map(parameterOf), InvalidParameters: names.filter((n) => !parameters.has(n)) });
    }
    reply(400, { __type: "InvalidAction", message: `not served here: ${target}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    parameters,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
