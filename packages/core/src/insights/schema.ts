import { z } from 'zod';

export const doraTierSchema = z.enum(['elite', 'high', 'medium', 'low']);
export type DoraTier = z.infer<typeof doraTierSchema>;

const tier = doraTierSchema.nullable().describe('The best 2024 tier whose threshold this metric meets; null without data.');

/** What `slipway insights` and GET /api/insights return: DORA's four keys for one environment and period. */
export const doraReportSchema = z.object({
  environment: z.string().describe('The environment the deployments go to (the last one, production, by default).'),
  from: z.string(),
  to: z.string(),
  deployments: z.number().int().describe('Promotions that reached the environment (succeeded or failed their health check).'),
  deploymentFrequency: z.object({ perDay: z.number(), tier }),
  leadTime: z.object({ medianSeconds: z.number().nullable().describe('Median time from commit to its first deployment here.'), changes: z.number().int(), tier }),
  changeFailRate: z.object({ rate: z.number().nullable().describe('Share of deployments that failed or were rolled back.'), failed: z.number().int(), tier }),
  recoveryTime: z.object({ medianSeconds: z.number().nullable().describe('Median time from a failed deployment to the next successful promotion here.'), failures: z.number().int(), recovered: z.number().int(), tier }),
  daily: z.array(z.object({ date: z.string().describe('UTC day, YYYY-MM-DD'), deployments: z.number().int(), failed: z.number().int() })).describe('Deployments per day of the period, for charts.'),
  tier: z.object({ report: z.literal('DORA 2024'), overall: doraTierSchema.nullable().describe('The best tier all four metrics meet; null without deployments and changes.') }),
});
export type DoraReport = z.infer<typeof doraReportSchema>;
