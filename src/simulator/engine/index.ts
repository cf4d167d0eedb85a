// Public surface of the simulator's deterministic workflow engine.

export { runGraph } from './run-graph.js';
export { runModelConfig } from './model-config-run.js';
export { validateInputs, buildUserInputForm, startVariables, variablesFromUserInputForm, type InputValidation } from './inputs.js';
export { invokeStubModel, countTokens } from './stub-model.js';
export { usageMetadata, totalPrice, type UsageMetadata } from './usage.js';
export type * from './types.js';
