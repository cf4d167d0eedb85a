// Signed result callbacks: what a sender uses (signPayload, deliverCallback) and what a receiver
// uses (verifyCallback, createReplayGuard). docs/callbacks.md describes the wire format.
export { deliverCallback, waitBefore, type BackoffPolicy, type DeliverCallbackOptions, type DeliveryResult } from './deliver.js';
export { createReplayGuard, type ReplayGuard, type ReplayGuardOptions } from './replay-guard.js';
export { SIGNATURE_HEADER, signedString, signPayload, TIMESTAMP_HEADER, type CallbackSignatureHeaders } from './sign.js';
export {
  verifyCallback,
  type HeadersLike,
  type VerifyCallbackInput,
  type VerifyCallbackResult,
  type VerifyFailureReason,
} from './verify.js';
