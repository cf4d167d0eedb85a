// What one run of a health check observed (HealthAttempt), and the judgement of it. Attempts are
// plain data gathered by run-checks.ts; assess.ts judges them without touching the world.

/** One call of the app through the service API. */
export interface HealthAttempt {
  /** The call did not produce a run: HTTP error, timeout, dropped connection (already redacted). */
  error?: string;
  /** Run status (workflow and advanced-chat); `succeeded` for an answered chat call. */
  status?: string;
  /** Run error text when the run failed. */
  runError?: string | null;
  /** Workflow outputs. */
  outputs?: Record<string, unknown> | null;
  /** Chat-family answer. */
  answer?: string;
  latencyMs: number;
  totalTokens?: number;
  /** The version that answered (workflow runs report it). */
  workflowId?: string;
}

export interface AttemptVerdict {
  passed: boolean;
  /** Every expectation that failed, in words; empty when passed. */
  reasons: string[];
  latencyMs: number;
  totalTokens: number | undefined;
}

export interface HealthCheckResult {
  name: string;
  passed: boolean;
  passes: number;
  attempts: number;
  required: number;
  verdicts: AttemptVerdict[];
  /** "2/3 attempts passed (needs 2)" plus the first failure reason. */
  summary: string;
}

export interface HealthReport {
  passed: boolean;
  checks: HealthCheckResult[];
}
