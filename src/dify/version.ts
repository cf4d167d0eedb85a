// Dify server versions and the client behaviour they imply (contract §0 "Key version milestones").
// Pure: a version string in, a capability record out. Every version branch in the client reads
// this record, so the milestones live in exactly one place.

export interface ServerVersion {
  /** As the server reported it, e.g. `1.14.1` or `2.0.0-beta.2`. */
  raw: string;
  major: number;
  minor: number;
  patch: number;
}

/** How the console is authenticated with email + password (contract §1). */
export type PasswordAuthEra = 'body-token' | 'cookie-plain-password' | 'cookie-base64-password';

export interface Capabilities {
  passwordAuthEra: PasswordAuthEra;
  /** ADMIN_API_KEY works everywhere except 1.9.2–1.10.x, where it cannot pass the CSRF check. */
  adminKeyPassesCsrf: boolean;
  /** ≤1.9.1 logs out with GET, the cookie era with POST. */
  logoutMethod: 'GET' | 'POST';
  /** 1.14 accepts only `tag_ids[0]=…`; older releases a comma-separated `tag_ids=a,b`. */
  tagIdsQuery: 'indexed' | 'comma';
  /** 1.14: `POST /tag-bindings` and remove with a `tag_ids` list; older: `/tag-bindings/create`, remove one `tag_id`. */
  tagBindings: 'v2' | 'v1';
  /** `POST …/workflows/<id>/restore` (≥1.13.3). */
  workflowRestore: boolean;
  /** Draft env-var, conversation-var and features POST endpoints (≥1.14.0). */
  draftVariablesPost: boolean;
  /** Draft env-var GET endpoint (≥1.5.0). */
  draftEnvironmentGet: boolean;
  /** Draft hash covers graph + features (≤1.13.x) or graph only (≥1.14.0). */
  draftHashCoversFeatures: boolean;
  /** Multiple credentials per model provider (≥1.8.0). */
  multiCredentialProviders: boolean;
  /** `workflow_id` query on export (≥1.8.1). */
  exportWorkflowId: boolean;
  /** marked_name/marked_comment, PATCH/DELETE of versions (≥1.0.1). */
  versionMarks: boolean;
  /** `GET …/imports/<app_id>/check-dependencies` (≥1.0.0). */
  checkDependencies: boolean;
  /** Service API `POST /v1/workflows/<id>/run` (≥1.7.2). */
  runWorkflowById: boolean;
}

/** Parses `major.minor.patch` with an optional suffix; undefined when it is not a version. */
export function parseServerVersion(raw: string): ServerVersion | undefined {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (!match) return undefined;
  return { raw: raw.trim(), major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

export function compareVersions(a: ServerVersion, b: ServerVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `version` ≥ `minimum` (e.g. `'1.9.2'`). */
export function versionAtLeast(version: ServerVersion, minimum: string): boolean {
  const min = parseServerVersion(minimum);
  if (!min) throw new TypeError(`not a version: ${minimum}`);
  return compareVersions(version, min) >= 0;
}

export function capabilitiesOf(version: ServerVersion): Capabilities {
  const atLeast = (minimum: string): boolean => versionAtLeast(version, minimum);
  const cookieEra = atLeast('1.9.2');
  return {
    passwordAuthEra: !cookieEra ? 'body-token' : atLeast('1.11.2') ? 'cookie-base64-password' : 'cookie-plain-password',
    adminKeyPassesCsrf: !cookieEra || atLeast('1.11.0'),
    logoutMethod: cookieEra ? 'POST' : 'GET',
    tagIdsQuery: atLeast('1.14.0') ? 'indexed' : 'comma',
    tagBindings: atLeast('1.14.0') ? 'v2' : 'v1',
    workflowRestore: atLeast('1.13.3'),
    draftVariablesPost: atLeast('1.14.0'),
    draftEnvironmentGet: atLeast('1.5.0'),
    draftHashCoversFeatures: !atLeast('1.14.0'),
    multiCredentialProviders: atLeast('1.8.0'),
    exportWorkflowId: atLeast('1.8.1'),
    versionMarks: atLeast('1.0.1'),
    checkDependencies: atLeast('1.0.0'),
    runWorkflowById: atLeast('1.7.2'),
  };
}
