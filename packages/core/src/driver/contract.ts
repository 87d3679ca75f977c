import { z } from 'zod';
import type { TrafficControl } from './traffic.js';
import { healthCheckSchema, serviceKubernetesSchema } from '../config/schema.js';
import { healthSchema } from '../model/environment.js';

/** The port a service listens on ($PORT) inside its container, on container targets (Docker); its name resolves on the environment's network. */
export const containerPort = 8080;

/** The desired state of one service in one environment, fully rendered: no references left. */
export const desiredServiceSchema = z.object({
  service: z.string(),
  releaseId: z.string(),
  revision: z.string().describe('Content hash; the driver replaces an instance only when it changes.'),
  artifact: z.string().describe('The built artifact (a directory for the local target).'),
  image: z.string().optional().describe('The OCI image by digest (`name@sha256:…`), when the project builds images; container targets run it instead of the artifact.'),
  command: z.string(),
  env: z.record(z.string(), z.string()),
  port: z.number().int().optional().describe('Stable port of the service; chosen by the driver when absent.'),
  health: healthCheckSchema,
  replicas: z.number().int().min(1).max(20).optional().describe('How many instances serve the stable URL, in turn; default 1.'),
  resources: z
    .object({ memoryBytes: z.number().int().positive().optional(), cpus: z.number().positive().optional() })
    .optional()
    .describe('Limits of each instance; container targets enforce them.'),
  kubernetes: serviceKubernetesSchema
    .extend({ manifests: z.string().optional().describe('Absolute path of the manifests (file, directory, or kustomize directory) in the artifact.') })
    .optional()
    .describe('Kubernetes target only: how the service runs there.'),
});
export type DesiredService = z.infer<typeof desiredServiceSchema>;

export const desiredStateSchema = z.object({
  environment: z.string().describe('Environment id; drivers keep the state of different environments apart.'),
  services: z.array(desiredServiceSchema).describe('In dependency order: a service comes after those it depends on.'),
});
export type DesiredState = z.infer<typeof desiredStateSchema>;

export const instanceSchema = z.object({
  id: z.string(),
  revision: z.string(),
  releaseId: z.string(),
  pid: z.number().int().nullable(),
  port: z.number().int().nullable(),
  health: healthSchema,
  startedAt: z.string(),
});

export const observedServiceSchema = z.object({
  service: z.string(),
  revision: z.string().nullable().describe('Revision of the instance that serves traffic, or null.'),
  releaseId: z.string().nullable(),
  health: healthSchema,
  url: z.string().nullable().describe('Stable URL of the service.'),
  instances: z.array(instanceSchema),
  message: z.string().nullable(),
});
export type ObservedService = z.infer<typeof observedServiceSchema>;

export const observedStateSchema = z.object({ environment: z.string(), services: z.array(observedServiceSchema) });
export type ObservedState = z.infer<typeof observedStateSchema>;

export const planActionSchema = z.object({
  type: z.enum(['create', 'replace', 'restart', 'delete', 'noop']),
  service: z.string(),
  reason: z.string(),
  desired: desiredServiceSchema.optional(),
});
export type PlanAction = z.infer<typeof planActionSchema>;
export const planSchema = z.object({ environment: z.string(), actions: z.array(planActionSchema) });
export type Plan = z.infer<typeof planSchema>;

export const applyResultSchema = z.object({
  environment: z.string(),
  results: z.array(
    z.object({
      service: z.string(),
      action: planActionSchema.shape.type,
      ok: z.boolean(),
      message: z.string().nullable(),
    }),
  ),
});
export type ApplyResult = z.infer<typeof applyResultSchema>;

export const logsInputSchema = z.object({ environment: z.string(), service: z.string(), tail: z.number().int().positive().default(100) });
export const logsOutputSchema = z.object({ lines: z.array(z.string()) });

export interface ResourceNode {
  kind: string;
  name: string;
  namespace: string | null;
  health: z.infer<typeof healthSchema>;
  message: string | null;
  drift: string[];
  children: ResourceNode[];
}
export const resourceNodeSchema: z.ZodType<ResourceNode> = z.lazy(() =>
  z.object({
    kind: z.string(),
    name: z.string(),
    namespace: z.string().nullable(),
    health: healthSchema,
    message: z.string().nullable().describe('Why it is not healthy, in words.'),
    drift: z.array(z.string()).describe('Fields that differ from what Slipway applied (`spec.replicas: 3 (want 1)`); empty: in sync.'),
    children: z.array(resourceNodeSchema).describe('Objects it owns (a Deployment\'s pods).'),
  }),
);

/** Progress reported while applying, for live CLI and dashboard output. */
export interface ApplyProgress {
  service: string;
  message: string;
}

/**
 * The TargetDriver port: desired state → plan → apply → observe. Local processes, Docker and Kubernetes implement it,
 * and every implementation passes the conformance suite in @slipway/testkit.
 */
export interface TargetDriver {
  readonly type: string;
  /** Reads the live state of the given services in an environment. Services the driver has never seen are `missing`. */
  observe(environment: string, services: string[], signal?: AbortSignal): Promise<ObservedState>;
  /** Pure: what must change to make the observed state the desired state. */
  plan(desired: DesiredState, observed: ObservedState): Plan;
  /** Applies a plan in order. A failed replacement leaves the previous instance serving. */
  apply(plan: Plan, options: { signal?: AbortSignal; onProgress?: (p: ApplyProgress) => void }): Promise<ApplyResult>;
  /** Stops every instance of a service in an environment and forgets it. */
  delete(environment: string, service: string): Promise<void>;
  /** The last lines of a service's output. */
  logs(input: z.input<typeof logsInputSchema>): Promise<z.output<typeof logsOutputSchema>>;
  /** Releases resources held by the driver itself; services keep running. */
  close(): Promise<void>;
  /** Weighted routing between two versions, for canary and blue-green; absent: only rolling. */
  readonly traffic?: TrafficControl;
  /**
   * Targets that watch their live state (Kubernetes) call the listener with an environment id as soon as something
   * they manage there changes, so that drift is reconciled at once instead of at the next resync. Returns unsubscribe.
   */
  onChange?(listener: (environment: string) => void): () => void;
  /** Targets made of objects (Kubernetes): each object of a service with its health and drift, for the resource tree. */
  resources?(environment: string, service: string): Promise<ResourceNode[]>;
}

/** Each driver operation, declared once with its description and schemas; the reference docs are generated from this. */
export const targetDriverOperations = {
  observe: { description: 'Read the live state of services in an environment.', output: observedStateSchema },
  plan: { description: 'Compute the actions that turn the observed state into the desired state (pure).', input: desiredStateSchema, output: planSchema },
  apply: { description: 'Apply a plan: start, replace or stop instances, waiting for health.', input: planSchema, output: applyResultSchema },
  delete: { description: 'Stop and forget every instance of a service.' },
  logs: { description: 'Return the last lines of output of a service.', input: logsInputSchema, output: logsOutputSchema },
} as const;
