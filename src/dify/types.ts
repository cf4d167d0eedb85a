// Shapes of what the Dify client sends and receives (contract §2–§9). Only the fields other
// modules use are typed; the client checks the load-bearing ones at runtime (shapes.ts).
// Field names stay as Dify spells them (snake_case), so payloads pass through unchanged.

export type AppMode = 'workflow' | 'advanced-chat' | 'chat' | 'agent-chat' | 'completion';
export type IconType = 'emoji' | 'image' | 'link';

export interface TagRef {
  id: string;
  name: string;
  type: string;
}

/** The published workflow partial on an app (`workflow`), or null when never published. */
export interface PublishedRef {
  id: string;
  created_at?: number;
  updated_at?: number;
}

/** An entry of `GET /apps` (contract §2.1). */
export interface AppSummary {
  id: string;
  name: string;
  /** An AppMode; `channel` and `rag-pipeline` also exist server-side. */
  mode: string;
  description: string | null;
  icon_type?: IconType | null;
  icon: string | null;
  icon_background: string | null;
  /** Unix seconds; changes on metadata updates, publish and import-overwrite (≥1.9.2). */
  updated_at: number;
  created_at: number;
  workflow: PublishedRef | null;
  model_config?: Record<string, unknown> | null;
  tags?: TagRef[];
  max_active_requests?: number | null;
  use_icon_as_answer_icon?: boolean;
}

/** `GET /apps/<id>`, and the answer of create/update/toggles (contract §2.2–2.4). */
export interface AppDetail extends AppSummary {
  enable_site: boolean;
  enable_api: boolean;
  api_base_url?: string;
  site?: Record<string, unknown>;
}

export interface AppListFilter {
  /** Substring match; Dify uses only the first 30 characters. */
  name?: string;
  mode?: AppMode | 'all';
  tagIds?: readonly string[];
  isCreatedByMe?: boolean;
}

export interface CreateAppInput {
  name: string;
  mode: AppMode;
  description?: string;
  icon_type?: IconType;
  icon?: string;
  icon_background?: string;
}

/** PUT replaces every field: omitted ones are reset by Dify (contract §2.4). */
export interface UpdateAppInput {
  name: string;
  description: string;
  icon_type: IconType;
  icon: string;
  icon_background: string;
  use_icon_as_answer_icon: boolean;
  max_active_requests: number | null;
}

export type ImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

/** The Import body of `POST /apps/imports` and confirm (contract §4.1). */
export interface ImportResult {
  id: string;
  status: ImportStatus;
  app_id: string | null;
  app_mode?: string | null;
  current_dsl_version?: string;
  imported_dsl_version?: string;
  error: string;
}

export interface ImportInput {
  /** The DSL YAML (mode `yaml-content`). */
  yamlContent: string;
  /** Overwrite this app (workflow / advanced-chat only); absent creates a new app. */
  appId?: string;
  name?: string;
  description?: string;
  icon_type?: IconType;
  icon?: string;
  icon_background?: string;
}

export interface PluginDependency {
  type: string;
  value: Record<string, unknown>;
  current_identifier: string | null;
}

export interface WorkflowVariable {
  id: string;
  name: string;
  value_type: string;
  value: unknown;
  description?: string;
  selector?: string[];
}

export interface UserRef {
  id: string | null;
  name?: string | null;
  email?: string | null;
}

/** A workflow row: the draft (`version: "draft"`) or a published version (contract §6.1). */
export interface WorkflowRecord {
  id: string;
  version: string;
  graph: Record<string, unknown>;
  features: Record<string, unknown>;
  hash: string;
  marked_name?: string | null;
  marked_comment?: string | null;
  created_at: number;
  updated_at: number;
  created_by?: UserRef | null;
  updated_by?: UserRef | null;
  tool_published?: boolean;
  environment_variables: WorkflowVariable[];
  conversation_variables: WorkflowVariable[];
}

export interface DraftSyncInput {
  graph: Record<string, unknown>;
  features: Record<string, unknown>;
  /** The hash of the draft being replaced; null when no draft exists yet. */
  hash: string | null;
  environment_variables?: readonly unknown[];
  conversation_variables?: readonly unknown[];
}

export interface DraftSyncResult {
  hash: string;
  updated_at: number;
}

export interface VersionMarks {
  marked_name?: string;
  marked_comment?: string;
}

export interface ApiKey {
  id: string;
  type: string;
  token: string;
  last_used_at: number | null;
  created_at: number;
}

export interface Tag extends TagRef {
  binding_count: string;
}

export type TagType = 'app' | 'knowledge';

export interface AccountProfile {
  id: string;
  name: string;
  email: string;
  [field: string]: unknown;
}

export interface Workspace {
  id: string;
  name: string;
  [field: string]: unknown;
}

export interface ModelProvider {
  provider: string;
  custom_configuration?: {
    status?: string;
    current_credential_id?: string | null;
    current_credential_name?: string | null;
    available_credentials?: Array<{ credential_id: string; credential_name: string }>;
  };
  [field: string]: unknown;
}

export interface CredentialValidation {
  result: 'success' | 'error';
  error?: string;
}
