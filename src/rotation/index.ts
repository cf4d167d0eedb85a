// Public API of secret rotation (docs/rotation.md): rotateDue for `rotate` and `serve`, the pure
// planner, the ledger, and the demo chapter's entry point.

export { rotateDue, rotateOne, loadLedgers, type RotateDueOptions, type RotateDueReport } from './rotate-due.js';
export { planRotation, lastAttemptAt, type DueRotation, type RotationPlan, type PlanRotationOptions } from './plan-rotation.js';
export { readLedger, ledgerPath, type LedgerEntry, type RotationStep } from './ledger.js';
export type { RotationDeps, RotationHooks, RotationResult, RotationOutcome } from './context.js';
export { renderRotationJson, renderRotationText } from './render.js';
export { lastFireAtOrBefore, scheduleFiredSince } from './schedule.js';
export { demoKeyRotation, type KeyRotationDemoInput, type KeyRotationDemoResult } from './demo.js';
