import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

describe('simulator infrastructure', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ email: 'owner@example.com', password: 'Passw0rd!' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers GET /v1/ with the server version and an X-Version header', async () => {
    const res = await fetch(`${sim.url}/v1/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-version')).toBe('1.14.1');
    expect(await res.json()).toEqual({ welcome: 'Dify OpenAPI', api_version: 'v1', server_version: '1.14.1' });
  });

  it('answers an unknown path with 404 not_found in Dify shape', async () => {
    const res = await fetch(`${sim.url}/console/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
});
