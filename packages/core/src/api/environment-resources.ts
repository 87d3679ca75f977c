import { z } from 'zod';
import { resourceNodeSchema } from '../driver/contract.js';

/**
 * What `slipway resources <env>` and GET /api/environments/{id}/resources return: for each service of the environment,
 * the target's objects (a Deployment, its Service, Secret…) with their health and drift, and the pods under a Deployment.
 */
export const environmentResourcesSchema = z.object({
  environment: z.string().describe('The environment name.'),
  target: z.string().describe('The target type (kubernetes, docker, local).'),
  supported: z.boolean().describe('Whether the target is made of objects it can list; false (local, docker): every service has an empty list.'),
  services: z
    .array(z.object({ service: z.string(), resources: z.array(resourceNodeSchema).describe("The service's objects, in the order they are applied.") }))
    .describe("The environment's services: those of its desired release and those that still run there."),
});
export type EnvironmentResources = z.infer<typeof environmentResourcesSchema>;
