import { z } from 'zod';
import { SlipwayError } from '../errors/slipway-error.js';
import { applyResultSchema, logsOutputSchema, observedStateSchema, planSchema, resourceNodeSchema, type TargetDriver } from './contract.js';

const resourceListSchema = z.array(resourceNodeSchema);

/** Wraps a driver so that everything it returns is validated before the core trusts it. */
export function validateDriver(driver: TargetDriver): TargetDriver {
  const check = <T>(op: string, schema: z.ZodType<T>, value: unknown): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new SlipwayError('SLW_DRIVER_CONTRACT', `driver "${driver.type}" returned an invalid ${op} result: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  };
  const { resources } = driver;
  return {
    type: driver.type,
    observe: async (env, services, signal) => check('observe', observedStateSchema, await driver.observe(env, services, signal)),
    plan: (desired, observed) => check('plan', planSchema, driver.plan(desired, observed)),
    apply: async (plan, options) => check('apply', applyResultSchema, await driver.apply(plan, options)),
    delete: (env, service) => driver.delete(env, service),
    logs: async (input) => check('logs', logsOutputSchema, await driver.logs(input)),
    close: () => driver.close(),
    ...(driver.traffic ? { traffic: driver.traffic } : {}),
    ...(driver.onChange ? { onChange: driver.onChange.bind(driver) } : {}),
    ...(resources ? { resources: async (env: string, service: string) => check('resources', resourceListSchema, await resources.call(driver, env, service)) } : {}),
  };
}
