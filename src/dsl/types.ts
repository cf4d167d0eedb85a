// The typed view of a Dify DSL document (contract §5). It is the parsed YAML value itself, not a
// copy: parseDsl checks the container shapes these interfaces promise and keeps every other key,
// so files from every Dify release (0.1.x … 0.6.x) and hand-written ones load unchanged.

import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';

/** The app modes Dify can import (contract §5.1). */
export type AppMode = 'workflow' | 'advanced-chat' | 'chat' | 'agent-chat' | 'completion';

export const APP_MODES: readonly AppMode[] = ['workflow', 'advanced-chat', 'chat', 'agent-chat', 'completion'];

/** Modes whose definition lives in `workflow` (the others use `model_config`). */
export const WORKFLOW_MODES: readonly AppMode[] = ['workflow', 'advanced-chat'];

export interface DslApp {
  name?: string;
  mode?: string;
  icon?: string;
  icon_type?: string;
  icon_background?: string;
  description?: string;
  use_icon_as_answer_icon?: boolean;
  [key: string]: unknown;
}

/** One `dependencies` entry: a plugin as installed in the exporting workspace (contract §3.6). */
export interface DslDependency {
  type?: string;
  value?: Record<string, unknown>;
  current_identifier?: string | null;
  [key: string]: unknown;
}

export interface DslNodeData {
  type?: string;
  title?: string;
  desc?: string;
  [key: string]: unknown;
}

export interface DslNode {
  id: string;
  /** React Flow type: `custom`, `custom-note`, `custom-iteration-start`, `custom-loop-start`. */
  type?: string;
  data: DslNodeData;
  /** Container (iteration or loop) the node sits in, in the editor. */
  parentId?: string;
  [key: string]: unknown;
}

export interface DslEdge {
  id?: string;
  source: string;
  target: string;
  sourceHandle?: string;
  targetHandle?: string;
  [key: string]: unknown;
}

export interface DslGraph {
  nodes?: DslNode[];
  edges?: DslEdge[];
  viewport?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An environment or conversation variable (contract §5.2). */
export interface DslVariable {
  id?: string;
  name: string;
  description?: string;
  selector?: unknown;
  value_type?: string;
  value?: unknown;
  [key: string]: unknown;
}

export interface DslWorkflow {
  graph?: DslGraph;
  features?: Record<string, unknown>;
  environment_variables?: DslVariable[];
  conversation_variables?: DslVariable[];
  rag_pipeline_variables?: unknown[];
  [key: string]: unknown;
}

export interface DslDocument {
  app: DslApp;
  kind?: string;
  version?: string;
  dependencies?: DslDependency[];
  workflow?: DslWorkflow;
  model_config?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Where the document came from, for positions (positionOf) and for fmt. */
export interface DslSource {
  doc: Document;
  lines: LineCounter;
  text: string;
}

export interface ParsedDslOk {
  ok: true;
  file: string;
  dsl: DslDocument;
  source: DslSource;
  /** Warnings found while reading (e.g. PyYAML-only syntax that was accepted). */
  diagnostics: Diagnostic[];
}

export interface ParsedDslFailed {
  ok: false;
  file: string;
  diagnostics: Diagnostic[];
}

export type ParsedDsl = ParsedDslOk | ParsedDslFailed;

/** A JSON path as segments: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

export function nodesOf(dsl: DslDocument): DslNode[] {
  return dsl.workflow?.graph?.nodes ?? [];
}

export function edgesOf(dsl: DslDocument): DslEdge[] {
  return dsl.workflow?.graph?.edges ?? [];
}

/** `/a/b/0` from ['a','b',0], escaping `~` and `/` as RFC 6901 does. */
export function toPointer(path: JsonPath): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
