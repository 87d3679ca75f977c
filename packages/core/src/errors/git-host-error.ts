import { SlipwayError } from './slipway-error.js';

/** A git host API call that failed: SLW_GIT_HOST_FAILED with the host's HTTP status (null when no answer came: network, timeout). */
export class GitHostError extends SlipwayError {
  readonly status: number | null;

  constructor(message: string, status: number | null, options: { cause?: unknown; hint?: string } = {}) {
    super('SLW_GIT_HOST_FAILED', message, options);
    this.name = 'GitHostError';
    this.status = status;
  }

  /** Worth another try: no answer, a rate limit or a server error. 4xx other than 408/429 will fail the same way again. */
  get transient(): boolean {
    return this.status === null || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}
