import { z } from 'zod';

export const slsaProvenancePredicateType = 'https://slsa.dev/provenance/v1';
export const inTotoStatementType = 'https://in-toto.io/Statement/v1';
/** Who built the image (`runDetails.builder.id`) and how (`buildDefinition.buildType`); a verifier compares both. */
export const slipwayBuilderId = 'https://slipway.dev/image-builder/v1';
export const slipwayBuildType = 'https://slipway.dev/image-build/v1';

const resourceDescriptor = z.object({ uri: z.string().optional(), name: z.string().optional(), digest: z.record(z.string(), z.string()).optional() });

export const provenanceStatementSchema = z.object({
  _type: z.literal(inTotoStatementType),
  subject: z.array(z.object({ name: z.string(), digest: z.record(z.string(), z.string()) })).min(1),
  predicateType: z.literal(slsaProvenancePredicateType),
  predicate: z.object({
    buildDefinition: z.object({
      buildType: z.string(),
      externalParameters: z.record(z.string(), z.unknown()),
      internalParameters: z.record(z.string(), z.unknown()).optional(),
      resolvedDependencies: z.array(resourceDescriptor).optional(),
    }),
    runDetails: z.object({
      builder: z.object({ id: z.string(), version: z.record(z.string(), z.string()).optional() }),
      metadata: z.object({ invocationId: z.string().optional(), startedOn: z.string().optional(), finishedOn: z.string().optional() }).optional(),
    }),
  }),
});
export type ProvenanceStatement = z.infer<typeof provenanceStatementSchema>;

export interface ProvenanceInput {
  /** The image's name without tag or digest (`registry/repo/service`). */
  image: string;
  /** `sha256:<hex>` of the image manifest. */
  digest: string;
  repoUrl: string;
  commitSha: string;
  service: string;
  /** How it was built: `dockerfile` (with its path, target and build args) or the zero-config `node` builder. */
  builder: 'dockerfile' | 'node';
  dockerfile?: string;
  context: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** The base image, as the daemon knows it (`name` and its image id `sha256:…`). */
  base?: { name: string; id: string };
  /** The content hash of the service's inputs: equal inputs, same image. */
  inputsHash: string;
  /** The runs whose success made the release. */
  runIds: string[];
  invocationId: string;
  startedOn: string;
  finishedOn: string;
  slipwayVersion: string;
}

/** The SLSA v1 provenance of an image as an in-toto Statement v1, its subject the image's manifest digest. */
export function provenanceStatement(input: ProvenanceInput): ProvenanceStatement {
  const [algorithm, hex] = input.digest.split(':') as [string, string];
  return {
    _type: inTotoStatementType,
    subject: [{ name: input.image, digest: { [algorithm]: hex } }],
    predicateType: slsaProvenancePredicateType,
    predicate: {
      buildDefinition: {
        buildType: slipwayBuildType,
        externalParameters: {
          source: { uri: `git+${input.repoUrl}`, digest: { gitCommit: input.commitSha } },
          service: input.service,
          builder: input.builder,
          context: input.context,
          ...(input.dockerfile ? { dockerfile: input.dockerfile } : {}),
          ...(input.target ? { target: input.target } : {}),
          buildArgs: input.buildArgs,
        },
        internalParameters: { inputsHash: input.inputsHash, runIds: input.runIds },
        resolvedDependencies: [
          { uri: `git+${input.repoUrl}`, digest: { gitCommit: input.commitSha } },
          ...(input.base ? [{ name: input.base.name, digest: { [input.base.id.split(':')[0]!]: input.base.id.split(':')[1]! } }] : []),
        ],
      },
      runDetails: {
        builder: { id: slipwayBuilderId, version: { slipway: input.slipwayVersion } },
        metadata: { invocationId: input.invocationId, startedOn: input.startedOn, finishedOn: input.finishedOn },
      },
    },
  };
}
