import { evaluateValue, expandMatrix, interpolate, type ExpressionContext, type ExpressionValue } from '@slipway/core';
import type { JobInstance } from './types.js';

export interface JobGroupPlan {
  instances: JobInstance[];
  failFast: boolean;
  maxParallel: number;
  strategy: (index: number) => Record<string, ExpressionValue>;
}

/** Expands a job into its matrix combinations, named the way GitHub names them: `test (20, linux)`. */
export function planJobGroup(jobId: string, spec: Record<string, unknown>, ctx: ExpressionContext, prefix = ''): JobGroupPlan {
  const strategy = (spec.strategy ?? {}) as Record<string, unknown>;
  const hasMatrix = strategy.matrix !== undefined;
  const combos = hasMatrix ? expandMatrix(evaluateValue(strategy.matrix, ctx)) : [{}];
  const failFast = strategy['fail-fast'] === undefined ? true : evaluateValue(strategy['fail-fast'], ctx) !== false;
  const maxParallel = strategy['max-parallel'] === undefined ? combos.length : Math.max(1, Number(evaluateValue(strategy['max-parallel'], ctx)));
  const instances = combos.map((matrix) => {
    const suffix = hasMatrix && Object.keys(matrix).length > 0 ? ` (${Object.values(matrix).map(show).join(', ')})` : '';
    const base = typeof spec.name === 'string' ? interpolate(spec.name, { ...ctx, matrix }) : jobId;
    // A name that already uses the matrix is shown as it is, as GitHub does.
    const name = typeof spec.name === 'string' && spec.name.includes('matrix.') ? base : `${base}${suffix}`;
    return { jobId, key: `${prefix}${jobId}${suffix}`, name: `${prefix}${name}`, matrix: hasMatrix ? matrix : null };
  });
  return {
    instances,
    failFast,
    maxParallel,
    strategy: (index) => ({ 'fail-fast': failFast, 'job-index': index, 'job-total': instances.length, 'max-parallel': maxParallel }),
  };
}

function show(v: ExpressionValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
