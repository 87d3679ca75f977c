import { z } from 'zod';
import { cronProblem } from '../workflow/cron.js';

/** Names of services and environments: they appear in URLs, env vars and file names. */
const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes, starting with a letter (at most 40 characters)');

/** Memory as bytes, or with a unit: 512Mi, 1Gi, 256M. */
const memory = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|K|M|G)?$/, 'must be bytes, or a number with Ki, Mi, Gi, K, M or G')])
  .describe('Memory limit: bytes, or 512Mi, 1Gi, 256M.');

export const resourcesSchema = z
  .object({
    memory: memory.optional(),
    cpus: z.number().positive().max(64).optional().describe('CPU limit in cores, e.g. 0.5.'),
  })
  .strict()
  .describe('Resource limits of each instance. Container targets enforce them; the local target runs processes without limits.');

const envMap = z
  // Values stay as written (no transform) so that the editor schema keeps its defaults; consumers apply String().
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name'), z.union([z.string(), z.number(), z.boolean()]))
  .describe('Environment variables. Values may use ${{ services.<name>.url }} to reach another service in the same environment, and ${{ secrets.<NAME> }} for a project (or global) secret, set into the process at deploy time and shown nowhere.');

export const healthCheckSchema = z
  .object({
    path: z.string().startsWith('/').default('/healthz').describe('HTTP path probed on the running instance; any 2xx answer is healthy.'),
    timeoutSeconds: z.number().positive().max(600).default(30).describe('How long a new instance may take to become healthy before the deploy fails and is rolled back.'),
    intervalSeconds: z.number().positive().max(60).default(0.25).describe('Time between probes while waiting for a new instance.'),
  })
  .strict()
  .describe('HTTP health check of a service instance.');

/** `host[:port]` of an OCI registry, no scheme. */
const registryHost = z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'must be host[:port], without a scheme (e.g. registry.example.com or 127.0.0.1:5001)');

export const imagesSchema = z
  .object({
    registry: registryHost.describe('The OCI registry images are pushed to (Distribution API v2). Credentials are the project secrets REGISTRY_USERNAME and REGISTRY_PASSWORD.'),
    repository: z
      .string()
      .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, 'must be a lowercase repository path such as team/app')
      .optional()
      .describe('Repository prefix: a service is pushed to `<registry>/<repository>/<service>`. Default: the project name.'),
    base: z.string().min(1).default('slipway/node:20').describe('Base image of the zero-config Node.js builder. It must exist in the local daemon: nothing is pulled (`slipway images base` builds slipway/node:20).'),
    insecure: z.boolean().optional().describe('Talk plain HTTP to the registry. Default: true for a loopback registry (127.0.0.1, localhost), false otherwise.'),
  })
  .strict()
  .describe('Build every service into an OCI image, push it by digest, attach an SBOM and a signed SLSA provenance. Without this block, releases are directories.');

export const serviceImageSchema = z
  .object({
    dockerfile: z.string().min(1).optional().describe('Dockerfile, relative to the context. Omit to use the zero-config Node.js builder (the service directory on the `images.base` image, running `command`).'),
    context: z.string().min(1).optional().describe('Build context, relative to the repository root. Default: the service path.'),
    target: z.string().min(1).optional().describe('Stage of a multi-stage Dockerfile to build.'),
    buildArgs: z.record(z.string(), z.string()).default({}).describe('Build arguments (ARG) of the Dockerfile.'),
  })
  .strict()
  .describe('How the service becomes an image (needs the project-level `images` block).');

/** A duration: 500ms, 5s, 2m, 1h. Kept as written; `durationMs` reads it. */
export const durationSchema = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must be a number with ms, s, m or h, e.g. 5s');

export const analysisMetricSchema = z
  .object({
    source: z.enum(['proxy', 'prometheus', 'http', 'judge']).default('proxy').describe('`proxy`: the built-in proxy\'s RED metrics of the canary (no setup). `prometheus`: a PromQL query. `http`: a GET that must answer 2xx. `judge`: the canary\'s latencies against the stable version\'s, by Mann-Whitney (Kayenta\'s judge).'),
    successRate: z.number().min(0).max(1).optional().describe('proxy: pass when the share of non-5xx answers is at or above this, e.g. 0.99.'),
    p99LatencyMs: z.number().positive().optional().describe('proxy: pass when the 99th percentile latency is at or below this many milliseconds.'),
    minRequests: z.number().int().min(1).default(5).describe('proxy, judge: fewer requests to the canary in the interval count as no data.'),
    url: z.string().url().optional().describe('prometheus: the server (http://127.0.0.1:9090); http: the URL to GET.'),
    query: z.string().optional().describe('prometheus: a PromQL query returning one value; `{{ version }}` is the canary revision, `{{ stable }}` the stable one, `{{ interval }}` the interval (e.g. 5s).'),
    min: z.number().optional().describe('prometheus: pass when the value is at or above this.'),
    max: z.number().optional().describe('prometheus: pass when the value is at or below this.'),
    pass: z.number().min(0).max(100).default(95).describe('judge: score at or above which the canary passes.'),
    marginal: z.number().min(0).max(100).default(75).describe('judge: score at or above which the result is inconclusive (below: fail).'),
    interval: durationSchema.default('5s').describe('Time between measurements; each measures the traffic of the last interval.'),
    count: z.number().int().min(1).max(1000).default(1).describe('Measurements per step.'),
    failureLimit: z.number().int().min(0).default(0).describe('Failed measurements allowed in a step; one more aborts (Argo Rollouts\' failureLimit).'),
    consecutiveErrorLimit: z.number().int().min(0).default(4).describe('Measurements that could not be taken (the source errs) in a row before the rollout aborts.'),
    noData: z.enum(['fail', 'inconclusive', 'ignore']).default('inconclusive').describe('What a measurement with no data is: a failure, inconclusive (the rollout pauses, saying why), or ignored (not counted).'),
  })
  .strict()
  .describe('One analysis: a metric of the canary, measured every interval and judged against its thresholds.');

export const strategySchema = z
  .object({
    type: z.enum(['rolling', 'canary', 'blue-green']).default('rolling').describe('`rolling`: start new → healthy → switch → stop old (the default). `canary`: the new version takes a growing share of traffic, judged by analysis at each step. `blue-green`: the new version runs next to the old, then takes all traffic at once; the old stays warm for the scale-down delay.'),
    steps: z.array(z.number().int().min(0).max(100)).default([10, 50, 100]).describe('canary: traffic weights in percent, in order; the last reaching 100 promotes.'),
    analysis: z.array(z.string()).default([]).describe('Names of `analysis` templates run at each step (canary) or after the switch (blue-green).'),
    header: z.object({ name: z.string().min(1), value: z.string() }).strict().optional().describe('Requests with this header always go to the new version (A/B, and blue-green preview).'),
    autoPromote: z.boolean().default(true).describe('Go on by itself when a step passes; false: wait at each step for `slipway promote`.'),
    scaleDownDelay: durationSchema.default('30s').describe('How long the old version stays warm after a promotion, so that switching back is instant.'),
  })
  .strict()
  .describe('How a new version replaces the running one.');

/** A Kubernetes object name (DNS-1123 label). */
const kubeName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and dashes').max(63);

export const serviceKubernetesSchema = z
  .object({
    manifests: z.string().min(1).optional().describe("The service's own manifests, relative to the service path: a YAML file, a directory of YAML files, or a kustomize directory (with kustomization.yaml). Default: Slipway renders a Deployment and a Service."),
    autoscale: z
      .object({
        min: z.number().int().min(1).max(100).default(1),
        max: z.number().int().min(1).max(100),
        cpuPercent: z.number().int().min(1).max(100).default(80).describe('Target average CPU utilisation.'),
      })
      .strict()
      .optional()
      .describe('Adds a HorizontalPodAutoscaler; the Deployment then leaves its replicas to it (no drift when the HPA scales).'),
    ingress: z.object({ host: z.string().min(1), path: z.string().startsWith('/').default('/'), className: z.string().optional() }).strict().optional().describe('Adds an Ingress for the service.'),
    route: z
      .object({ gateway: z.string().min(1).describe('Parent Gateway, `name` or `namespace/name`.'), hostnames: z.array(z.string()).default([]) })
      .strict()
      .optional()
      .describe('Adds a Gateway API HTTPRoute; canaries then split traffic by its backend weights instead of by replicas.'),
    nodeSelector: z.record(z.string(), z.string()).optional().describe("The pods' node selector (labels a node must have)."),
    tolerations: z
      .array(
        z
          .object({
            key: z.string().optional(),
            operator: z.enum(['Equal', 'Exists']).optional(),
            value: z.string().optional(),
            effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
          })
          .strict(),
      )
      .optional()
      .describe("The pods' tolerations of node taints."),
  })
  .strict()
  .describe('How the service runs on a Kubernetes target.');

export const targetSchema = z
  .object({
    type: z.enum(['local', 'docker', 'kubernetes']).describe("`local`: services as processes on the Slipway host. `docker`: services as containers of the Docker daemon next to it, a network per environment: each service's image by digest when `images` is set, else its artifact on the slipway/node:20 base image. `kubernetes`: services as Deployments and Services in a namespace, applied with server-side apply."),
    namespace: kubeName.optional().describe('kubernetes: the namespace. Default: the environment name.'),
    cluster: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a secret name such as KUBECONFIG_PROD').optional().describe("kubernetes: the secret holding the cluster's kubeconfig. Default: the server's own (KUBECONFIG, or ~/.kube/config)."),
    context: z.string().min(1).optional().describe("kubernetes: the kubeconfig context. Default: the kubeconfig's current context."),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.type === 'kubernetes') return;
    for (const key of ['namespace', 'cluster', 'context'] as const) if (t[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is only for the kubernetes target (this one is ${t.type})` });
  })
  .describe('Where the environment runs.');
export type TargetConfig = z.infer<typeof targetSchema>;

export const serviceSchema = z
  .object({
    path: z.string().min(1).describe('Directory of the service source, relative to the repository root.'),
    paths: z.array(z.string()).optional().describe('Glob patterns of the paths this service owns; a change there rebuilds it. Default: `<path>/**`.'),
    shared: z.array(z.string()).default([]).describe('Glob patterns of shared paths (libraries, lockfiles) whose change also rebuilds this service.'),
    build: z
      .object({ command: z.string().min(1).describe('Shell command run in the service directory to build it, for example `npm ci`.') })
      .strict()
      .optional()
      .describe('How to build the service. Omit when the source runs as it is.'),
    command: z.string().min(1).describe('Shell command that starts the service, run in its directory. It must listen on $PORT.'),
    port: z.number().int().min(1024).max(65535).optional().describe('Stable port where the service is reachable in an environment. Omit to let Slipway choose a free one.'),
    health: healthCheckSchema.default({ path: '/healthz', timeoutSeconds: 30, intervalSeconds: 0.25 }),
    env: envMap.default({}),
    dependsOn: z.array(name).default([]).describe('Services that must be deployed and healthy before this one.'),
    replicas: z.number().int().min(1).max(20).optional().describe('How many instances serve the service, in turn, behind its stable URL. Default 1.'),
    resources: resourcesSchema.optional(),
    image: serviceImageSchema.optional(),
    strategy: strategySchema.optional().describe("Overrides the environment's strategy for this service."),
    kubernetes: serviceKubernetesSchema.optional(),
  })
  .strict()
  .describe('One deployable unit of the project.');

const cronExpression = z
  .string()
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Five-field cron (minute hour day-of-month month day-of-week); each minute it matches counts.');

export const environmentPolicySchema = z
  .object({
    promotion: z.enum(['auto', 'manual']).default('auto').describe('`auto`: a release that is live and healthy in the previous environment (or new, for the first) is promoted here. `manual`: only `slipway deploy` promotes.'),
    approvals: z.number().int().min(0).max(10).default(0).describe('Approvals a promotion into this environment needs before it deploys (`slipway approve`), each from a different person.'),
    approverRole: z.enum(['approver', 'admin']).default('approver').describe('The least role whose approval counts.'),
    windows: z.array(cronExpression).default([]).describe('Deploy windows: promotions deploy only in minutes one of these matches, e.g. `* 9-16 * * 1-5`. Empty: any time.'),
    freezes: z.array(cronExpression).default([]).describe('Freezes: no promotion deploys in a minute one of these matches, e.g. `* * 24-26 12 *`. Rollbacks are not held back.'),
    timeZone: z
      .string()
      .default('UTC')
      .refine((tz) => validTimeZone(tz), 'is not an IANA time zone such as Europe/Paris')
      .describe('Time zone of the windows and freezes.'),
    selfHeal: z.boolean().default(true).describe('Restore the desired state when the live state drifts from it; otherwise only report the drift.'),
    requireProvenance: z.boolean().default(false).describe("Refuse a promotion unless every service's image has a provenance whose signature (Slipway's key) and subject digest verify."),
  })
  .strict()
  .describe('Rules for promotions into the environment.');

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const serviceOverrideSchema = z
  .object({
    env: envMap.optional(),
    port: z.number().int().min(1024).max(65535).optional().describe('Stable port of the service in this environment.'),
    replicas: z.number().int().min(1).max(20).optional().describe('How many instances serve the service in this environment.'),
    resources: resourcesSchema.optional(),
  })
  .strict()
  .describe('Per-environment changes to a service.');

export const environmentSchema = z
  .object({
    target: targetSchema.default({ type: 'local' }),
    overrides: z.record(name, serviceOverrideSchema).default({}).describe('Per-service overrides, keyed by service name.'),
    policy: environmentPolicySchema.default(environmentPolicySchema.parse({})),
    strategy: strategySchema.optional().describe('How new versions replace running ones here. Default: rolling.'),
  })
  .strict()
  .describe('A named place where releases run. Environments are promoted in the order they are listed.');

export const slipwayConfigSchema = z
  .object({
    $schema: z.string().optional().describe('JSON Schema reference for editors.'),
    project: name.describe('Project name.'),
    services: z.record(name, serviceSchema).refine((s) => Object.keys(s).length > 0, 'declare at least one service').describe('Services keyed by name.'),
    environments: z
      .record(name, environmentSchema)
      .default({ dev: { target: { type: 'local' }, overrides: {}, policy: environmentPolicySchema.parse({}) } })
      .describe('Environments keyed by name, in promotion order. Default: one `dev` environment on the local target.'),
    images: imagesSchema.optional(),
    analysis: z.record(name, analysisMetricSchema).default({}).describe('Analysis templates by name, used by strategies (like Argo Rollouts\' AnalysisTemplates).'),
    workflows: z
      .object({
        githubDir: z.boolean().default(false).describe('Also read workflows from .github/workflows.'),
      })
      .strict()
      .default({ githubDir: false })
      .describe('Where CI workflows are read from. `.slipway/workflows` is always read.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const [service, spec] of Object.entries(config.services)) {
      if (spec.image && !config.images) ctx.addIssue({ code: 'custom', path: ['services', service, 'image'], message: 'needs the project-level `images` block (the registry to push to)' });
    }
    const strategies: [string[], { analysis?: string[] } | undefined][] = [
      ...Object.entries(config.services).map(([s, spec]): [string[], { analysis?: string[] } | undefined] => [['services', s, 'strategy'], spec.strategy]),
      ...Object.entries(config.environments).map(([e, env]): [string[], { analysis?: string[] } | undefined] => [['environments', e, 'strategy'], env.strategy]),
    ];
    for (const [path, strategy] of strategies) {
      (strategy?.analysis ?? []).forEach((ref, i) => {
        if (!(ref in config.analysis)) ctx.addIssue({ code: 'custom', path: [...path, 'analysis', i], message: `no analysis named ${ref} (declare it under \`analysis\`)` });
      });
    }
  })
  .describe('slipway.yaml: the desired state of a project.');

export type SlipwayConfig = z.output<typeof slipwayConfigSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type EnvironmentPolicy = z.output<typeof environmentPolicySchema>;
export type ImagesConfig = z.output<typeof imagesSchema>;
export type StrategyConfig = z.output<typeof strategySchema>;
export type AnalysisMetric = z.output<typeof analysisMetricSchema>;
