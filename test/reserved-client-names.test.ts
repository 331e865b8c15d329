/**
 * Consumed operations named `close` and `sendByName`, like the generated client's own methods
 * (src/emit/view/naming.ts reserves them): the project type-checks, the operations keep their wire
 * names and are callable (directly and from an orchestration step), and the client's close() and
 * sendByName still are the client's. Without the reservation the class has two `close` and two
 * `sendByName` methods and tsc refuses it.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';

const CAPABILITY = `naftiko: 1.0.0-alpha2
info:
  label: Reserved names
  description: Consumed operations named like the generated client's own methods.
capability:
  consumes:
    - type: http
      namespace: shop
      baseUri: https://shop.example.com
      resources:
        - name: sessions
          path: /sessions/{{sessionId}}/close
          operations:
            - name: close
              method: POST
        - name: items
          path: /items
          operations:
            - name: sendByName
              method: GET
              inputParameters:
                - name: name
                  in: query
  aggregates:
    - label: Shop functions
      namespace: counter
      functions:
        - name: find-items
          description: Items by name, through a step.
          inputParameters:
            - name: item
              type: string
              description: The name to look for.
          steps:
            - type: call
              name: found
              call: shop.sendByName
              with:
                name: "{{item}}"
          mappings:
            - targetName: items
              value: $.found
  exposes:
    - type: rest
      namespace: shop-rest
      port: 8080
      resources:
        - name: session
          path: /sessions/{sessionId}/close
          operations:
            - method: POST
              name: close-session
              call: shop.close
        - name: items
          path: /items/{{item}}
          operations:
            - method: GET
              ref: counter.find-items
`;

/** The generated client class, as compiled. */
interface ShopClient {
  close(): void;
  sendByName(method: string, args: Record<string, unknown>): Promise<{ status: number }>;
  [method: string]: unknown;
}

let upstream: FakeUpstream;
let project: GeneratedProject | undefined;
let server: RunningServer;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('reserved-names', { yaml: CAPABILITY });
  server = await startServer(project, cleanEnv({ SHOP_BASE_URI: upstream.url, SHOP_REST_PORT: '0', SHOP_REST_HOST: '127.0.0.1' }), 1);
});

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => upstream.reset());

describe('operations named close and sendByName', () => {
  it('are callable through the server: each sends its own request', async () => {
    const closed = await request(server.restUrl(), 'POST', '/sessions/s-1/close');
    expect(closed.status).toBe(200);
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /sessions/s-1/close']);
    // From an orchestration step, which sends by name through the client's sendByName.
    const found = await request(server.restUrl(), 'GET', '/items/widget');
    expect(found.status).toBe(200);
    expect(found.json()).toMatchObject({ items: { method: 'GET', url: '/items?name=widget' } });
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /sessions/s-1/close', 'GET /items?name=widget']);
  });

  it('leave the client its own close() and sendByName', async () => {
    const dist = join(project!.dir, 'dist');
    const { ShopApi } = (await import(pathToFileURL(join(dist, 'consumes/shop.js')).href)) as { ShopApi: new (options: { baseUri: string; timeoutMs: number }, hooks: unknown) => ShopClient };
    const { hooks } = (await import(pathToFileURL(join(dist, 'hooks.js')).href)) as { hooks: unknown };
    const client = new ShopApi({ baseUri: upstream.url, timeoutMs: 5_000 }, hooks);
    // The operations went to other method names, which send their requests.
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(client)).filter((m) => m !== 'constructor').sort();
    const closeOperation = methods.find((m) => m !== 'close' && m.startsWith('close'));
    const sendOperation = methods.find((m) => m !== 'sendByName' && m.startsWith('sendByName'));
    expect(closeOperation).toBeDefined();
    expect(sendOperation).toBeDefined();
    expect(methods).toEqual([closeOperation, 'close', sendOperation, 'sendByName'].sort());
    expect((await (client[closeOperation!] as (args: object) => Promise<{ status: number }>)({ sessionId: 's 2' })).status).toBe(200);
    expect((await client.sendByName(closeOperation!, { sessionId: 's3' })).status).toBe(200);
    expect((await client.sendByName(sendOperation!, { name: 'a b' })).status).toBe(200);
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /sessions/s%202/close', 'POST /sessions/s3/close', 'GET /items?name=a%20b']);
    // close() is the client's: it takes no arguments, sends nothing and returns nothing.
    expect(client.close.length).toBe(0);
    expect(client.close()).toBeUndefined();
    expect(upstream.requests).toHaveLength(3);
  });

  it('the server still stops cleanly, closing its clients', async () => {
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    await server.stop();
    expect(await exit).toBe(0);
  });
});
