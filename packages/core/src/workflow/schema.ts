import { z } from 'zod';

const stringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const pushFilterSchema = z
  .object({
    branches: stringOrList.optional(),
    'branches-ignore': stringOrList.optional(),
    tags: stringOrList.optional(),
    paths: stringOrList.optional(),
    'paths-ignore': stringOrList.optional(),
  })
  .nullable()
  .transform((v) => v ?? {});

export const workflowStepSchema = z
  .object({
    id: z.string().optional(),
    name: z.string().optional(),
    run: z.string().optional(),
    uses: z.string().optional(),
    shell: z.enum(['bash', 'sh']).optional(),
    'working-directory': z.string().optional(),
    env: envMap.optional(),
    if: z.union([z.string(), z.boolean()]).optional(),
    with: z.record(z.string(), z.unknown()).optional(),
    'continue-on-error': z.boolean().optional(),
    'timeout-minutes': z.number().positive().optional(),
  })
  .passthrough();

export const workflowJobSchema = z
  .object({
    name: z.string().optional(),
    'runs-on': z.union([z.string(), z.array(z.string())]).optional(),
    needs: stringOrList.optional(),
    env: envMap.optional(),
    defaults: z.object({ run: z.object({ shell: z.enum(['bash', 'sh']).optional(), 'working-directory': z.string().optional() }).partial() }).partial().optional(),
    'timeout-minutes': z.number().positive().optional(),
    steps: z.array(workflowStepSchema).min(1),
  })
  .passthrough();

/** A CI workflow in GitHub Actions syntax. This first engine runs `run:` steps; the full engine extends it. */
export const workflowSchema = z
  .object({
    name: z.string().optional(),
    on: z.union([
      z.string().transform((e) => ({ [e]: {} })),
      z.array(z.string()).transform((es) => Object.fromEntries(es.map((e) => [e, {}]))),
      z.object({ push: pushFilterSchema.optional() }).passthrough(),
    ]),
    env: envMap.optional(),
    jobs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'job ids are letters, digits, - and _'), workflowJobSchema),
  })
  .passthrough();

export type Workflow = z.output<typeof workflowSchema>;
export type WorkflowJob = z.output<typeof workflowJobSchema>;
export type WorkflowStep = z.output<typeof workflowStepSchema>;
