// The simulator's route table, assembled from the route modules in this folder. To add routes,
// create routes/<name>.ts exporting `routes: Route[]` and add one import and one spread below
// (see the header of http/route.ts). The Service API's Bearer-key lookup is the
// `authenticateService` hook: set it to the function exported by the service-api module.

import type { Route, ServiceAuthenticator } from '../http/route.js';
import { routes as meta } from './meta.js';

export const allRoutes: Route[] = [...meta];

export const authenticateService: ServiceAuthenticator | undefined = undefined;
