// The simulator's whole world, as plain JSON-serialisable data so that --state can persist it
// atomically and tests can assert on it directly. Field names follow Dify's models.
// Timestamps are unix seconds (int) like Dify's API; secrets are stored in plaintext here
// (the simulator is a test double; Dify encrypts them at rest).

export type AppMode = 'workflow' | 'advanced-chat' | 'chat' | 'agent-chat' | 'completion';
export type Role = 'owner' | 'admin' | 'editor' | 'normal' | 'dataset_operator';

export interface SimAccount {
  id: string;
  email: string;
  name: string;
  password: string;
  role: Role;
  /** Failed logins since the last success (lockout after more than 5). */
  failedLogins: number;
}

export interface SimWorkspace {
  id: string;
  name: string;
}

export interface SimVariable {
  id: string;
  name: string;
  description: string;
  selector: string[];
  /** Stored type: numbers become 'integer' | 'float' (contract §5.2). */
  value_type: string;
  value: unknown;
}

export interface SimWorkflow {
  id: string;
  app_id: string;
  /** 'draft' or the UTC publish timestamp string. */
  version: string;
  graph: { nodes: unknown[]; edges: unknown[]; viewport?: unknown; [k: string]: unknown };
  features: Record<string, unknown>;
  environment_variables: SimVariable[];
  conversation_variables: SimVariable[];
  rag_pipeline_variables: unknown[];
  marked_name: string;
  marked_comment: string;
  created_by: string;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  /** Published as a workflow tool (cannot be deleted). */
  tool_published: boolean;
}

export interface SimApp {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  mode: AppMode;
  icon_type: 'emoji' | 'image' | 'link';
  icon: string;
  icon_background: string;
  use_icon_as_answer_icon: boolean;
  enable_site: boolean;
  enable_api: boolean;
  max_active_requests: number | null;
  /** Published workflow id (workflow and advanced-chat), or null. */
  workflow_id: string | null;
  /** Chat/agent-chat/completion apps: the live model config (§5.1 keys). */
  model_config: Record<string, unknown> | null;
  model_config_updated_at: number | null;
  site_code: string;
  tag_ids: string[];
  created_by: string;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
}

export interface SimApiKey {
  id: string;
  app_id: string;
  token: string;
  last_used_at: number | null;
  created_at: number;
}

export interface SimTag {
  id: string;
  tenant_id: string;
  name: string;
  type: 'app' | 'knowledge';
}

export interface SimPendingImport {
  id: string;
  /** Unix ms after which confirm answers "expired". */
  expires_at_ms: number;
  yaml_content: string;
  app_id: string | null;
  overrides: { name?: string; description?: string; icon_type?: string; icon?: string; icon_background?: string };
  imported_dsl_version: string;
}

export interface SimDependencyCheck {
  app_id: string;
  expires_at_ms: number;
  dependencies: unknown[];
}

export interface SimProviderCredential {
  credential_id: string;
  credential_name: string;
  credentials: Record<string, unknown>;
  created_at: number;
}

export interface SimProvider {
  /** Normalised `org/plugin/provider`, e.g. `langgenius/openai/openai`. */
  provider: string;
  tenant_id: string;
  credentials: SimProviderCredential[];
  current_credential_id: string | null;
}

export interface SimRun {
  id: string;
  app_id: string;
  workflow_id: string | null;
  status: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: string | null;
  total_tokens: number;
  total_steps: number;
  elapsed_time: number;
  triggered_from: 'debugging' | 'app-run';
  created_at: number;
  finished_at: number | null;
  /** Who started it: a console account (debugger) or a service-API end user. */
  created_by_role?: 'account' | 'end_user';
  /** Account id, or the simulated end-user id. */
  created_by?: string;
  /** The service API `user` string of an end-user run. */
  created_by_session?: string;
  exceptions_count?: number;
  /** Workflow version string at run time ('draft' for debugger runs). */
  version?: string;
}

export interface SimConversation {
  id: string;
  app_id: string;
  user: string;
  variables: Record<string, unknown>;
  dialogue_count: number;
  created_at: number;
}

export interface SimState {
  /** Bumped when the persisted shape changes. */
  schemaVersion: 1;
  setupFinished: boolean;
  workspace: SimWorkspace;
  accounts: SimAccount[];
  apps: SimApp[];
  workflows: SimWorkflow[];
  apiKeys: SimApiKey[];
  tags: SimTag[];
  providers: SimProvider[];
  /** Plugin identifiers considered installed (check-dependencies reports the rest). */
  installedPlugins: string[];
  pendingImports: SimPendingImport[];
  dependencyChecks: SimDependencyCheck[];
  runs: SimRun[];
  conversations: SimConversation[];
  /** Opaque refresh tokens → account id (rotated on refresh). */
  refreshTokens: Record<string, string>;
}
