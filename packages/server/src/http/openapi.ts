import { OpenAPIHono, z } from '@hono/zod-openapi';
import { resourceNodeSchema, SlipwayError } from '@slipway/core';
import type { AppEnv } from './env.js';

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), hint: z.string(), path: z.string().optional() }),
});

// The OpenAPI generator follows a recursive (z.lazy) schema only through a named component: a resource's children are
// resources. Naming the lazy schema itself lets every schema that embeds it refer to the component. Through the
// prototype, because zod copies prototype methods at construction and core's schemas may predate the openapi extension.
z.ZodType.prototype.openapi.call(resourceNodeSchema, 'ResourceNode');

/** A JSON response description for createRoute. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const errors = {
  400: json(errorBodySchema, 'Bad request'),
  401: json(errorBodySchema, 'No valid API token'),
  403: json(errorBodySchema, 'The role does not allow this'),
  404: json(errorBodySchema, 'Not found'),
} as const;

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const limitQuery = z.coerce.number().int().min(1).max(500).default(50).describe('Maximum number of items.');

/** A Hono app whose request validation failures become SLW_API_BAD_REQUEST errors. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new SlipwayError('SLW_API_BAD_REQUEST', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
      }
    },
  });
}
