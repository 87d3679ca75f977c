import { errorCatalog, type ErrorCode } from './catalog.js';

/** Where in a file an error was found. Lines and columns are 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface SlipwayErrorOptions {
  hint?: string;
  cause?: unknown;
  position?: SourcePosition;
  /** Key path inside a document, for example `services.api.port`. */
  path?: string;
}

/** The one base error. Every error that reaches a user carries a code from the closed catalog and a hint with the fix. */
export class SlipwayError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly position?: SourcePosition;
  readonly path?: string;

  constructor(code: ErrorCode, message: string, options: SlipwayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SlipwayError';
    this.code = code;
    this.hint = options.hint ?? errorCatalog[code].hint;
    if (options.position) this.position = options.position;
    if (options.path) this.path = options.path;
  }

  /** `file:line:col: SLW_CODE message` when a position is known, else `SLW_CODE message`. */
  format(): string {
    const where = this.position ? `${this.position.file}:${this.position.line}:${this.position.col}: ` : '';
    return `${where}${this.code} ${this.message}`;
  }

  toJSON(): { code: ErrorCode; message: string; hint: string; position?: SourcePosition; path?: string } {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.position ? { position: this.position } : {}),
      ...(this.path ? { path: this.path } : {}),
    };
  }
}

/** Wraps anything thrown into a SlipwayError; unknown throws become SLW_INTERNAL with a bug-report hint. */
export function toSlipwayError(err: unknown): SlipwayError {
  if (err instanceof SlipwayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SlipwayError('SLW_INTERNAL', message, { cause: err });
}

/** The one mapping from errors to HTTP status codes. */
export function toHttpStatus(err: unknown): number {
  return errorCatalog[toSlipwayError(err).code].http;
}

/** The one mapping from errors to CLI exit codes. */
export function toExitCode(err: unknown): number {
  return errorCatalog[toSlipwayError(err).code].exit;
}

export function isTransient(err: unknown): boolean {
  const code = toSlipwayError(err).code;
  return code === 'SLW_SOURCE_UNREACHABLE' || code === 'SLW_STORE_UNAVAILABLE' || code === 'SLW_LEASE_LOST';
}
