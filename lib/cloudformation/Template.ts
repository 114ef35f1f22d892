// The shape of a CloudFormation template as far as the validator reads it.
// Values stay `unknown`: a template is data from outside, checked before it is trusted.

export interface ResourceDeclaration {
  Type?: unknown;
  Properties?: unknown;
  DependsOn?: unknown;
  Condition?: unknown;
  DeletionPolicy?: unknown;
  UpdateReplacePolicy?: unknown;
  Metadata?: unknown;
  UpdatePolicy?: unknown;
  CreationPolicy?: unknown;
}

export interface Template {
  AWSTemplateFormatVersion?: unknown;
  Description?: unknown;
  Metadata?: unknown;
  Parameters?: Record<string, { Type?: unknown; Default?: unknown } & Record<string, unknown>>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Transform?: unknown;
  Resources?: Record<string, ResourceDeclaration>;
  Outputs?: Record<string, { Value?: unknown; Export?: unknown; Condition?: unknown } & Record<string, unknown>>;
  Rules?: unknown;
}

/** One thing CloudFormation would refuse, with where it is (`Resources.X.Properties.Y[2]`). */
export interface TemplateProblem {
  path: string;
  message: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
