// The CloudFormation resource specification, read from the npm package
// `@aws-cdk/aws-service-spec` (every resource type's properties, their types,
// which are required, and the attributes Fn::GetAtt may read). It ships as
// data, so the check needs no network and no AWS account.
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";

/** A property's type, as the specification states it. */
export type PropertyType =
  | { type: "string"; allowedValues?: string[] }
  | { type: "number" }
  | { type: "integer"; allowedValues?: number[] }
  | { type: "boolean" }
  | { type: "json" }
  | { type: "date-time" }
  | { type: "null" }
  | { type: "tag" }
  | { type: "array"; element: PropertyType }
  | { type: "map"; element: PropertyType }
  | { type: "union"; types: PropertyType[] }
  | { type: "ref"; reference: { $ref: string } };

export interface PropertySpec {
  type: PropertyType;
  required?: boolean;
}

export interface ResourceTypeSpec {
  cloudFormationType: string;
  properties: Record<string, PropertySpec>;
  attributes: Record<string, unknown>;
}

export interface TypeDefinitionSpec {
  name: string;
  properties: Record<string, PropertySpec>;
}

/** The few lookups the validator needs; the package's database behind them. */
export interface ResourceSpec {
  resourceType(cloudFormationType: string): ResourceTypeSpec | undefined;
  typeDefinition(id: string): TypeDefinitionSpec | undefined;
}

interface SpecDatabase {
  lookup(collection: "resource", index: "cloudFormationType", how: "equals", value: string): readonly ResourceTypeSpec[];
  get(collection: "typeDefinition", id: string): TypeDefinitionSpec;
}

let loaded: Promise<ResourceSpec> | undefined;

/** Loads the specification once per process (about 0.6 s: a 2.6 MB gzipped database). */
export function loadResourceSpec(): Promise<ResourceSpec> {
  loaded ??= loadAwsServiceSpec().then((db) => {
    const spec = db as unknown as SpecDatabase;
    return {
      resourceType: (type) => spec.lookup("resource", "cloudFormationType", "equals", type)[0],
      typeDefinition: (id) => {
        try {
          return spec.get("typeDefinition", id);
        } catch {
          return undefined;
        }
      },
    };
  });
  return loaded;
}
