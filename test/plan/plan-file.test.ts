import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { planApp } from '../../src/plan/plan-app.js';
import { parsePlanFile, serializePlanFile } from '../../src/plan/plan-file.js';
import { renderPlan } from '../../src/plan/render-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { desiredApp, liveFrom, SERVER_1_14, workflowDsl } from '../support/plan-builders.js';

const CANARY = 'canary-plan-secret-91d2';

function samplePlan(): Plan {
  const desired = desiredApp(workflowDsl({ prompt: 'new prompt' }), { secrets: [{ variable: 'API_KEY', keepLive: false, source: { env: 'SRC' } }] });
  const entry = planApp(desired, { kind: 'found', app: liveFrom(workflowDsl()), foundBy: 'adopt' }, { server: SERVER_1_14 });
  return { formatVersion: 1, createdAt: '2026-01-01T00:00:00.000Z', revision: { id: 'abc1234', subject: 'Tighten prompt' }, servers: { staging: SERVER_1_14 }, entries: [entry] };
}

describe('plan file', () => {
  it('round-trips a plan with its digests', () => {
    const plan = samplePlan();
    const back = parsePlanFile(serializePlanFile(plan), 'plan.json');
    expect(back).toEqual(plan);
    expect(back.entries[0]?.digests.desired).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(back.entries[0]?.digests.live).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('holds no secret value: plans are made without reading secrets (canary in the process env)', () => {
    process.env.SRC = CANARY;
    try {
      const plan = samplePlan();
      for (const format of ['text', 'markdown', 'json'] as const) expect(renderPlan(plan, format)).not.toContain(CANARY);
      expect(serializePlanFile(plan)).not.toContain(CANARY);
      expect(serializePlanFile(plan)).toContain('API_KEY');
    } finally {
      delete process.env.SRC;
    }
  });

  it('rejects another format version with a clear message', () => {
    const text = JSON.stringify({ ...samplePlan(), kind: 'dify-gitops-plan', formatVersion: 2 });
    expect(() => parsePlanFile(text, 'old.json')).toThrow(/old\.json: plan format version 2 is not supported/);
  });

  it('names the fields that are wrong', () => {
    const plan = JSON.parse(serializePlanFile(samplePlan()));
    delete plan.entries[0].digests.live;
    plan.entries[0].action = 'explode';
    let error: unknown;
    try {
      parsePlanFile(JSON.stringify(plan), 'p.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/p\.json: not a dify-gitops plan file: .*\/entries\/0\/action.*\/entries\/0\/digests must have required property 'live'/);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parsePlanFile('{', 'x.json')).toThrow(/x\.json: not a plan file/);
  });
});
