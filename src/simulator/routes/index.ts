// The simulator's route table, assembled from the route modules in this folder. To add routes,
// create routes/<name>.ts exporting `routes: Route[]` and add one import and one spread below
// (see the header of http/route.ts). The Service API's Bearer-key lookup is the
// `authenticateService` hook: set it to the function exported by the service-api module.

import type { Route, ServiceAuthenticator } from '../http/route.js';
import { routes as account } from './account.js';
import { routes as appDsl } from './app-dsl.js';
import { routes as apps } from './apps.js';
import { routes as auth } from './auth.js';
import { routes as meta } from './meta.js';
import { routes as apiKeys } from './api-keys.js';
import { routes as modelProviders } from './model-providers.js';
import { routes as runs } from './runs.js';
import { routes as serviceApi } from './service-api.js';
import { routes as serviceInfo } from './service-info.js';
import { routes as tags } from './tags.js';
import { authenticateServiceKey } from '../service/auth.js';
import { routes as workflowDraft } from './workflow-draft.js';
import { routes as workflowVersions } from './workflow-versions.js';

export const allRoutes: Route[] = [...meta, ...auth, ...account, ...apps, ...appDsl, ...workflowDraft, ...workflowVersions, ...serviceApi, ...serviceInfo, ...apiKeys, ...modelProviders, ...tags, ...runs];

export const authenticateService: ServiceAuthenticator | undefined = authenticateServiceKey;
