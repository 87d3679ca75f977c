import { z } from 'zod';

/** Options of a problem found by a check: a hint with the fix, and whether the position is the key rather than its value. */
export interface ReportOptions {
  hint?: string;
  atKey?: boolean;
}

/** Reports a problem at a path relative to the value being checked. */
export type Report = (path: readonly PropertyKey[], message: string, options?: ReportOptions) => void;

/**
 * A schema chosen by looking at the raw input, which may also report problems of its own. The check sees the raw input,
 * so that cross-field problems (a step with both `run` and `uses`) are reported even when a field is invalid too;
 * a zod refinement would be skipped then, and "every error, not only the first" is the contract of the parsers.
 */
export function dispatched<T>(pick: (input: unknown, report: Report) => z.ZodType<T>): z.ZodType<T, unknown> {
  return z.unknown().transform((input, ctx): T => {
    const report: Report = (path, message, options = {}) => ctx.addIssue({ code: 'custom', path: [...path], message, params: options, input });
    const schema = pick(input, report);
    const result = schema.safeParse(input, { reportInput: true });
    if (result.success) return result.data;
    // The inner issues carry paths relative to this value; zod prefixes them with the parents' path as they bubble up.
    for (const issue of result.error.issues) ctx.issues.push(issue as unknown as (typeof ctx.issues)[number]);
    return z.NEVER;
  }) as unknown as z.ZodType<T, unknown>;
}

/** A schema plus a check of the raw input; both always run. */
export function checked<S extends z.ZodType>(schema: S, check: (input: unknown, report: Report) => void): z.ZodType<z.output<S>, unknown> {
  return dispatched((input, report) => {
    check(input, report);
    return schema as z.ZodType<z.output<S>>;
  });
}

/** The input as a plain map, or undefined when it is not one. */
export function asRecord(input: unknown): Record<string, unknown> | undefined {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
}
