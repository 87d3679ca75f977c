import { analysisMetricSchema, strategySchema, type NamedMetric, type Release, type StrategyConfig } from '@slipway/core';

/** A service's strategy in an environment, with its analysis templates: the service's own, else the environment's, else rolling. */
export function strategyFor(release: Release, environment: string, service: string): { strategy: StrategyConfig; metrics: NamedMetric[] } {
  const config = (release.config ?? {}) as { environments?: Record<string, { strategy?: unknown }>; analysis?: Record<string, unknown> };
  const own = (release.services[service]?.config as { strategy?: unknown } | undefined)?.strategy;
  const strategy = strategySchema.parse(own ?? config.environments?.[environment]?.strategy ?? {});
  const metrics = strategy.analysis.filter((name) => config.analysis?.[name] !== undefined).map((name): NamedMetric => [name, analysisMetricSchema.parse(config.analysis![name])]);
  return { strategy, metrics };
}

/** The steps a strategy walks: canary's weights; blue-green's preview (0 %, or the header only) and then all traffic. */
export const stepsOf = (strategy: StrategyConfig): number[] => (strategy.type === 'blue-green' ? [0, 100] : strategy.steps);
