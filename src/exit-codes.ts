// Exit codes shared by every command (README "Exit codes"). Terraform/Atlantis convention for
// 0/1/2, plus the deploy outcomes of apply.
export const ExitCode = {
  /** Success; for plan/diff/validate: nothing to report. */
  Ok: 0,
  /** An error before any change was made (bad input, unreachable Dify, lint errors). */
  Error: 1,
  /** Success, and there are differences (plan --detailed-exitcode, diff, reconcile drift). */
  Changes: 2,
  /** A deploy failed its health checks and was rolled back: live is restored and healthy. */
  RolledBack: 3,
  /** Rollback failed or the state is unknown: a human must look. */
  NeedsHuman: 4,
  /** A bug in dify-gitops. */
  Internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
