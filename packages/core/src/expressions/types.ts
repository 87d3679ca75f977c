/** A value an expression can produce or read: JSON data, as GitHub Actions contexts hold it. */
export type ExpressionValue = null | boolean | number | string | ExpressionValue[] | { [key: string]: ExpressionValue };

/**
 * The named values an expression may use, by context name: github, env, vars, secrets, inputs, matrix, needs, steps, job,
 * runner, strategy, jobs. Only the names present are recognised, so pass exactly the contexts GitHub makes available at
 * that place (a job-level `if:` has no `steps`); a name that is absent is an error, as on GitHub.
 */
export type ExpressionContext = Record<string, ExpressionValue>;

/** The status functions of `if:` conditions, as the runner knows them for the job or step at hand. */
export interface ExpressionStatus {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

/** Where an expression came from, for error messages. Lines and columns are 1-based and point at the start of the value. */
export interface ExpressionLocation {
  file: string;
  line?: number;
  col?: number;
  /** Key path inside the document, for example `jobs.build.steps[2].run`. */
  path?: string;
}

export interface ExpressionOptions {
  /** Job/step status functions; when absent, success() is true and failure()/cancelled() false. */
  status?: ExpressionStatus;
  /** hashFiles(...patterns): the runner supplies it (it needs the file system); absent → calling hashFiles throws. */
  hashFiles?: (patterns: string[]) => string;
  /** For error messages: where the expression came from. */
  where?: ExpressionLocation;
}
