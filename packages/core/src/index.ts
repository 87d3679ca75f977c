export { errorCatalog, exitCodes, type ErrorCode } from './errors/catalog.js';
export { SlipwayError, toSlipwayError, toHttpStatus, toExitCode, isTransient, type SourcePosition, type SlipwayErrorOptions } from './errors/slipway-error.js';
export {
  slipwayConfigSchema,
  serviceSchema,
  environmentSchema,
  healthCheckSchema,
  resourcesSchema,
  type SlipwayConfig,
  type ServiceConfig,
  environmentPolicySchema,
  type EnvironmentConfig,
  type EnvironmentPolicy,
  type ImagesConfig,
  type StrategyConfig,
  type AnalysisMetric,
  strategySchema,
  analysisMetricSchema,
  durationSchema,
  imagesSchema,
  serviceImageSchema,
  serviceKubernetesSchema,
  targetSchema,
  type TargetConfig,
} from './config/schema.js';
export { evaluateGates, gateVerdict, refusingGates, type PromotionFacts } from './promotion/gates.js';
export { timeVerdict, nextAllowed, type TimeRules } from './promotion/windows.js';
export { parseConfig, parseYamlWithSchema, formatPath, type ParseResult } from './config/parse-config.js';
export { workflowDirs } from './config/workflow-dirs.js';
export { interpolateServiceUrls, serviceReferences, interpolateSecrets, secretReferences } from './config/interpolate.js';
export { healthStatuses, syncStatuses, combineHealth, isWorse, type Health, type SyncStatus } from './health/health.js';
export * from './model/run.js';
export * from './model/pull-request.js';
export * from './model/plan-preview.js';
export * from './model/project.js';
export * from './model/git-host.js';
export * from './model/release.js';
export * from './model/verification.js';
export * from './model/environment.js';
export * from './model/event.js';
export * from './model/token.js';
export * from './model/secret.js';
export * from './model/ci-storage.js';
export * from './api/status.js';
export * from './api/environment-resources.js';
export type { Store, QueueItem, NewRunInput, Page } from './ports/store.js';
export type { SourceProvider, SourceRef, CommitInfo } from './ports/source-provider.js';
export type { GitHost, GitHostTarget, CommitStatus, CommitState, PullRequestComment } from './ports/git-host.js';
export { GitHostError } from './errors/git-host-error.js';
export { resolveGitHostSettings } from './git-host/resolve-settings.js';
export type { Executor, StepSpec, StepOutput, ContainerSpec, JobEnvironment, JobEnvironmentSpec, ServiceEndpoint } from './ports/executor.js';
export { systemClock, type Clock } from './ports/clock.js';
export * from './driver/contract.js';
export { splitWords } from './ci/split-words.js';
export { createLineSplitter } from './ci/line-splitter.js';
export { isProcessAlive } from './os/process-alive.js';
export { planServices } from './driver/plan-services.js';
export { applyInOrder } from './driver/apply-in-order.js';
export { validateDriver } from './driver/validate-driver.js';
export { reconcileOnce, type Reconciler, type ReconcileResult } from './reconcile/reconciler.js';
export { globToRegExp, matchesAny } from './flow/glob.js';
export { selectServices, ownedPaths, dependencyOrder, type ServiceTrigger } from './flow/path-filter.js';
export { planMarkdown } from './flow/plan-markdown.js';
export { advanceSnapshot, decideTriggers, rebaseSnapshot, snapshotHead, maxSnapshotPushes, type TriggerInputs, type TriggerSnapshot, type PushedChanges, type WorkflowDecision } from './flow/trigger-snapshot.js';
export {
  workflowSchema,
  isCallJob,
  type Workflow,
  type WorkflowJob,
  type StepsJob,
  type CallJob,
  type WorkflowStep,
  type WorkflowTriggers,
  type WorkflowDispatchInput,
  type WorkflowCallSpec,
} from './workflow/schema.js';
export { parseWorkflow } from './workflow/parse-workflow.js';
export { jobOrder } from './workflow/job-order.js';
export { parseWorkflowRef, type WorkflowRef } from './workflow/workflow-ref.js';
export { resolveDispatchInputs, type DispatchInputs } from './workflow/dispatch-inputs.js';
export { pushTriggers, type PushEvent } from './workflow/triggers.js';
export { eventTriggers, type TriggerEvent, type TriggerDecision } from './workflow/event-triggers.js';
export { parseActionManifest, type ActionManifest, type ActionRuns } from './workflow/action-schema.js';
export { closest } from './workflow/did-you-mean.js';
export { cronMatches, cronProblem } from './workflow/cron.js';
export { shellCommand, scriptExtension } from './ci/shell.js';
export type { ExpressionValue, ExpressionContext, ExpressionOptions, ExpressionStatus, ExpressionLocation } from './expressions/types.js';
export { evaluateExpression, interpolate, evaluateValue } from './expressions/evaluate.js';
export { evaluateCondition } from './expressions/condition.js';
export { referencedContexts, type ContextReferences } from './expressions/references.js';
export { containsExpression } from './expressions/template.js';
export { parseWorkflowCommand, type WorkflowCommand } from './ci/workflow-commands.js';
export { createCommandProcessor, type CommandProcessor, type ProcessedLine } from './ci/command-processor.js';
export { parseEnvFile, parsePathFile, type EnvFile } from './ci/env-file.js';
export { createMasker, type Masker } from './ci/masker.js';
export { expandMatrix } from './ci/matrix.js';
export { computeDora, doraEventKinds } from './insights/dora.js';
export { doraReportSchema, doraTierSchema, type DoraReport, type DoraTier } from './insights/schema.js';
export { notifyWebhookSecret, type Notification, type Notifier } from './ports/notifier.js';
export { notificationFor } from './notifications/for-event.js';
export { memoryBytes, renderResources } from './config/resources.js';
export type { ImageBuilder, ImageBuildInput, RegistryAuth } from './ports/image-builder.js';
export { attachmentTag, type Attachment, type OciRegistry } from './ports/registry.js';
export { dsseEnvelopeSchema, inTotoPayloadType, preAuthEncoding, fromBase64, toBase64, type DsseEnvelope } from './supply-chain/dsse.js';
export { provenanceStatement, provenanceStatementSchema, slipwayBuilderId, slipwayBuildType, slsaProvenancePredicateType, inTotoStatementType, type ProvenanceStatement, type ProvenanceInput } from './supply-chain/provenance.js';
export { cycloneDxBom, type CycloneDxBom, type CycloneDxComponent, type SbomInput } from './supply-chain/sbom.js';
export { mannWhitney, type MannWhitneyResult } from './analysis/mann-whitney.js';
export { classifyMetric, scoreJudgement, type JudgeMetricConfig, type MetricJudgement, type Judgement, type MetricClass } from './analysis/judge.js';
export { durationMs } from './rollout/duration.js';
export { measurementSchema, judgeProxy, judgeValue, judgeCanary, noData, percentileOf, servedShare, type Measurement, type RequestSample } from './rollout/measurement.js';
export { rolloutSchema, rolloutPhases, decideRollout, dueMetrics, worstCaseExposure, stepHoldMs, type Rollout, type RolloutDecision, type NamedMetric } from './rollout/rollout.js';
export type { TrafficControl, TrafficRoute, TrafficTotals } from './driver/traffic.js';
