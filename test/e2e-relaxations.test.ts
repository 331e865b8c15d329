/**
 * The relaxations of the converted files refused before (decisions D13, D14), end to end: a capability
 * with an empty base URI and `{{env.X}}` variables that no `binds` entry declares validates with
 * warnings, builds, refuses to start without each variable (naming it), and then sends them upstream.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, request, runToExit, startServer, stopAll, type GeneratedProject } from './helpers/generated-project.js';
import { REPO } from './helpers/shared.js';

const SPEC = `${REPO}test/fixtures/relaxations/converted.yaml`;

let upstream: FakeUpstream;
let project: GeneratedProject;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('converted-relaxations', { spec: SPEC });
});

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

describe('an empty base URI (D13) and unbound {{env.X}} (D14)', () => {
  it('are warnings naming what the server will need; errors under --strict', () => {
    const text = readFileSync(SPEC, 'utf8');
    const relaxed = validateText(SPEC, text).findings.map((f) => `${f.severity} ${f.rule}`);
    expect(relaxed).toEqual(['warning relaxed-empty-base-uri', 'warning relaxed-unbound-env', 'warning relaxed-unbound-env']);
    expect(validateText(SPEC, text).findings[0]!.message).toContain('PARCEL_CARRIER_BASE_URI');
    expect(validateText(SPEC, text, { strict: true }).findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['error relaxed-empty-base-uri']);
  });

  it('stop the server at start until each variable is set, naming it', async () => {
    const base = { PARCEL_REST_PORT: '0' };
    const noBase = await runToExit(project, 'dist/main.js', cleanEnv({ ...base, PARCEL_CARRIER_TOKEN: 't', PARCEL_CLIENT_ID: 'c' }));
    expect(noBase.code).not.toBe(0);
    expect(noBase.stderr).toContain('PARCEL_CARRIER_BASE_URI is not set');
    const noSecrets = await runToExit(project, 'dist/main.js', cleanEnv({ ...base, PARCEL_CARRIER_BASE_URI: upstream.url }));
    expect(noSecrets.code).not.toBe(0);
    expect(noSecrets.stderr).toContain('PARCEL_CARRIER_TOKEN');
    expect(noSecrets.stderr).toContain('PARCEL_CLIENT_ID');
  });

  it('send the base URI and the variables upstream once they are set', async () => {
    const server = await startServer(
      project,
      cleanEnv({ PARCEL_REST_PORT: '0', PARCEL_CARRIER_BASE_URI: `${upstream.url}/carrier`, PARCEL_CARRIER_TOKEN: 'tok-123', PARCEL_CLIENT_ID: 'client-9' }),
      1,
    );
    const answer = await request(server.restUrl(), 'GET', '/parcels/p%2F1');
    expect(answer.status).toBe(200);
    expect(upstream.last()).toMatchObject({ method: 'GET', path: '/carrier/parcels/p%2F1' });
    expect(upstream.last().headers.authorization).toBe('Bearer tok-123');
    expect(upstream.last().headers['x-client']).toBe('client-9');
  });
});
