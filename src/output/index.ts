// Structured-output enforcement: extract → repair → validate → fallback. docs/structured-output.md.
export { enforceOutput, type EnforcedOutput, type EnforceOutputOptions, type FallbackPolicy } from './enforce-output.js';
export { extractJson, type ExtractedJson } from './extract-json.js';
export { formatSchemaErrors } from './format-schema-errors.js';
export {
  compileOutputSchemas,
  outputSchemaName,
  type CompiledOutputSchema,
  type CompiledOutputSchemas,
  type OutputSchemaFile,
  type OutputSchemaRegistry,
} from './schema-registry.js';
