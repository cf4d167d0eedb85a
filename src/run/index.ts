// Run: one app, once, with streaming and a signed result callback for integrators. docs/run.md.
export { buildRunEnvelope, RUN_ENVELOPE_VERSION, type EnvelopeInput, type RunEnvelope } from './envelope.js';
export { AppNotRunnableError, runApp, type RunAppOptions } from './run-app.js';
