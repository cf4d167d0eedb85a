// The Dify releases the simulator can impersonate, as data. Every behaviour that differs between
// releases is one named field here (facts from the contract's "Key version milestones"); route
// code reads `world.profile.<field>` and never compares version strings.

export type ProfileName = '1.0.0' | '1.9.1' | '1.12.1' | '1.14.1';

export const PROFILE_NAMES: readonly ProfileName[] = ['1.0.0', '1.9.1', '1.12.1', '1.14.1'];
export const DEFAULT_PROFILE: ProfileName = '1.14.1';

export interface SimProfile {
  name: ProfileName;
  /** `X-Version` header and `GET /v1/` `server_version`. */
  serverVersion: string;
  /** CURRENT_DSL_VERSION: written by export, compared on import (§4.3). */
  dslVersion: string;
  /** 'strict' (0.12–1.3.0): any major/minor difference is pending. 'relaxed' (≥1.3.1): only newer/older-major. */
  versionRule: 'strict' | 'relaxed';
  /** 'body-tokens' (≤1.9.1): tokens in the login body, Bearer header. 'cookies' (≥1.9.2): cookies + CSRF. */
  authEra: 'body-tokens' | 'cookies';
  /** ≥1.11.2: the login `password` is Base64 of the UTF-8 password. */
  base64Password: boolean;
  /** ≥1.11.0: ADMIN_API_KEY + X-WORKSPACE-ID skips the CSRF check (only meaningful in the cookie era). */
  adminKeyBypassesCsrf: boolean;
  /** ≤1.9.1 logs out with GET; the cookie era with POST. */
  logoutMethod: 'GET' | 'POST';
  /** Login failure: ≥1.8.0 401 authentication_failed, before 400 email_or_password_mismatch. */
  loginFailure: 'authentication_failed' | 'email_or_password_mismatch';
  /** ≤1.13: the draft hash covers graph + features; ≥1.14.0 graph only. */
  draftHashIncludesFeatures: boolean;
  /** ≥1.0.1: marked_name/marked_comment, PATCH/DELETE of versions, user_id/named_only filters. */
  workflowVersionControl: boolean;
  /** ≥1.13.3: POST …/workflows/<id>/restore. */
  hasRestoreEndpoint: boolean;
  /** ≥1.13.3: a secret equal to the 20-asterisk mask in a draft sync becomes [__HIDDEN__]. */
  draftSyncNormalisesMask: boolean;
  /** ≥1.5.0: GET …/workflows/draft/environment-variables. */
  hasEnvVarGet: boolean;
  /** ≥1.14.0: POST draft environment-variables / conversation-variables / features. */
  hasDraftVariablePost: boolean;
  /** ≥1.14.0 `/tag-bindings` + remove with tag_ids[]; older `/tag-bindings/create` + remove with tag_id. */
  tagBindings: 'v2' | 'v1';
  /** App list `tag_ids`: 1.14 only `tag_ids[0]=…`; older a comma-separated string. */
  tagIdsQuery: 'indexed' | 'comma';
  /** ≥1.8.0: several named credentials per model provider, /switch. */
  multiCredentialProviders: boolean;
  /** API-key limit error body: ≥1.8.1 `{message, custom}`, before `{message, code}`. */
  apiKeyLimitField: 'custom' | 'code';
  /** Export of numeric env vars: ≥1.7.0 `integer`/`float`, before `number`. */
  numericEnvExport: 'integer-float' | 'number';
  /** ≥1.2.0: knowledge-retrieval `dataset_ids` are AES-encrypted per workspace on export. */
  encryptsDatasetIds: boolean;
  /** ≥1.7.0: export drops tool `credential_id` when include_secret=false. */
  exportStripsCredentialId: boolean;
  /** Draft GET secret masking: ≥1.8.1 20 `*`; before, first 6 + 12 `*` + last 2. */
  secretMask: 'asterisks' | 'obfuscated';
  /** Seconds a pending import waits for confirm (600 since 1.0.0). */
  pendingImportTtlSeconds: number;
  /** ≥1.1.0: Import responses carry `app_mode`. */
  importHasAppMode: boolean;
  /** ≥1.8.1: export accepts `workflow_id` (a published version). */
  exportWorkflowId: boolean;
  /** ≥1.9.0: export writes `rag_pipeline_variables`. */
  exportsRagPipelineVariables: boolean;
  /** ≥1.13.1: export writes `icon_type` and keeps image icons. */
  exportsIconType: boolean;
  /** ≥1.10.0: trigger nodes exist (export resets their fields; start + trigger may not coexist). */
  triggerNodes: boolean;
  /** ≥1.9.2: publish and import-overwrite set app.updated_at. */
  bumpsAppUpdatedAt: boolean;
  /** Default `limit` of GET …/workflows: 20 in 1.0.x, 10 later. */
  versionListDefaultLimit: number;
  /** GET /v1/workflows/run/<id>: 1.14 outputs object + 404 when unknown; ≤1.13 raw JSON string + 200 nulls. */
  workflowRunGetShape: 'object-404' | 'string-null';
  /** SSE JSON: 1.14 compact (orjson); 1.0.x Python json.dumps (spaces, ASCII escaping). */
  sseJson: 'compact' | 'python';
  /** advanced-chat streaming: ≥1.x-late message_end before workflow_finished; 1.0.x the reverse. */
  messageEndBeforeWorkflowFinished: boolean;
  /** 1.14: `workflow_started.data.reason`; 1.0.x `sequence_number`. */
  workflowStartedField: 'reason' | 'sequence_number';
  /** ≥1.7.2: POST /v1/workflows/<workflow_id>/run and `workflow_id` in /v1/chat-messages. */
  serviceRunsByWorkflowId: boolean;
  /** ≥1.4.3: GET /v1/info carries `mode` and `author_name`. */
  serviceInfoHasMode: boolean;
}

const P_1_14_1: SimProfile = {
  name: '1.14.1',
  serverVersion: '1.14.1',
  dslVersion: '0.6.0',
  versionRule: 'relaxed',
  authEra: 'cookies',
  base64Password: true,
  adminKeyBypassesCsrf: true,
  logoutMethod: 'POST',
  loginFailure: 'authentication_failed',
  draftHashIncludesFeatures: false,
  workflowVersionControl: true,
  hasRestoreEndpoint: true,
  draftSyncNormalisesMask: true,
  hasEnvVarGet: true,
  hasDraftVariablePost: true,
  tagBindings: 'v2',
  tagIdsQuery: 'indexed',
  multiCredentialProviders: true,
  apiKeyLimitField: 'custom',
  numericEnvExport: 'integer-float',
  encryptsDatasetIds: true,
  exportStripsCredentialId: true,
  secretMask: 'asterisks',
  pendingImportTtlSeconds: 600,
  importHasAppMode: true,
  exportWorkflowId: true,
  exportsRagPipelineVariables: true,
  exportsIconType: true,
  triggerNodes: true,
  bumpsAppUpdatedAt: true,
  versionListDefaultLimit: 10,
  workflowRunGetShape: 'object-404',
  sseJson: 'compact',
  messageEndBeforeWorkflowFinished: true,
  workflowStartedField: 'reason',
  serviceRunsByWorkflowId: true,
  serviceInfoHasMode: true,
};

const P_1_12_1: SimProfile = {
  ...P_1_14_1,
  name: '1.12.1',
  serverVersion: '1.12.1',
  dslVersion: '0.5.0',
  draftHashIncludesFeatures: true,
  hasRestoreEndpoint: false,
  draftSyncNormalisesMask: false,
  hasDraftVariablePost: false,
  tagBindings: 'v1',
  tagIdsQuery: 'comma',
  exportsIconType: false,
  workflowRunGetShape: 'string-null',
};

const P_1_9_1: SimProfile = {
  ...P_1_12_1,
  name: '1.9.1',
  serverVersion: '1.9.1',
  dslVersion: '0.4.0',
  authEra: 'body-tokens',
  base64Password: false,
  adminKeyBypassesCsrf: false,
  logoutMethod: 'GET',
  triggerNodes: false,
  bumpsAppUpdatedAt: false,
};

const P_1_0_0: SimProfile = {
  ...P_1_9_1,
  name: '1.0.0',
  serverVersion: '1.0.0',
  dslVersion: '0.1.5',
  versionRule: 'strict',
  loginFailure: 'email_or_password_mismatch',
  workflowVersionControl: false,
  hasEnvVarGet: false,
  multiCredentialProviders: false,
  apiKeyLimitField: 'code',
  numericEnvExport: 'number',
  encryptsDatasetIds: false,
  exportStripsCredentialId: false,
  secretMask: 'obfuscated',
  importHasAppMode: false,
  exportWorkflowId: false,
  exportsRagPipelineVariables: false,
  versionListDefaultLimit: 20,
  sseJson: 'python',
  messageEndBeforeWorkflowFinished: false,
  workflowStartedField: 'sequence_number',
  serviceRunsByWorkflowId: false,
  serviceInfoHasMode: false,
};

const PROFILES: Record<ProfileName, SimProfile> = {
  '1.0.0': P_1_0_0,
  '1.9.1': P_1_9_1,
  '1.12.1': P_1_12_1,
  '1.14.1': P_1_14_1,
};

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

export function getProfile(name: ProfileName): SimProfile {
  return PROFILES[name];
}
