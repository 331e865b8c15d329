#!/usr/bin/env node
// Writes a large, valid capability for size tests and the bench: by default 1,200 consumed
// operations over 800 resources, 1,200 MCP tools and 800 REST resources (about 2 MB of YAML).
//   node scripts/make-large-capability.mjs <out.yaml> [operations] [restResources]
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

const [out, opsArg, restArg] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: make-large-capability.mjs <out.yaml> [operations=1200] [restResources=800]\n');
  process.exit(2);
}
const OPS = Number(opsArg ?? 1200);
const REST = Number(restArg ?? 800);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const resources = [];
for (let i = 0; i < OPS; i++) {
  const r = i % REST;
  resources[r] ??= { name: `resource-${r}`, path: `/areas/{areaId}/resource-${r}/{{itemId}}`, operations: [] };
  const method = METHODS[i % METHODS.length];
  resources[r].operations.push({
    name: `operation-${i}`,
    method,
    description: `Operation number ${i} of a very large capability, on resource ${r}.`,
    inputParameters: [
      { name: 'filter', in: 'query' },
      { name: 'page', in: 'query' },
      { name: 'x-trace', in: 'header' },
      ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? [{ name: 'body', in: 'body' }] : []),
    ],
  });
}
// One REST resource per consumed resource, with its operations; one tool per consumed operation.
const restResources = resources.map((r, ri) => {
  const seen = new Set();
  return {
    path: `/v1/areas/{areaId}/resource-${ri}/{itemId}`,
    name: `rest-resource-${ri}`,
    description: `REST surface of resource ${ri}.`,
    operations: r.operations
      .filter((o) => !seen.has(o.method) && seen.add(o.method))
      .map((o) => ({
        method: o.method,
        name: `rest-${o.name}`,
        description: o.description,
        inputParameters: [{ name: 'filter', in: 'query', type: 'string', description: 'A filter expression.' }],
        call: `large-api.${o.name}`,
        with: { filter: 'rest.filter', page: 'rest.page' },
      })),
  };
});
const tools = resources.flatMap((r) =>
  r.operations.map((o, k) => ({
    name: `tool-${o.name}`,
    description: o.description,
    hints: { readOnly: o.method === 'GET', destructive: o.method === 'DELETE', idempotent: o.method !== 'POST' },
    inputParameters: [
      { name: 'areaId', type: 'string', description: 'The area.' },
      { name: 'itemId', type: 'string', description: 'The item.' },
      { name: 'filter', type: 'string', description: 'A filter expression.', required: false },
      { name: 'page', type: 'integer', description: 'Page number.', required: k % 2 === 0 },
    ],
    call: `large-api.${o.name}`,
    with: { filter: 'tools.filter', page: 'tools.page' },
  })),
);
const doc = {
  naftiko: '1.0.0-alpha2',
  info: { label: 'A very large capability', description: `${OPS} operations, ${tools.length} tools and ${REST} REST resources, for size tests.`, tags: ['large'] },
  binds: [{ namespace: 'env', keys: { LARGE_API_TOKEN: 'LARGE_API_TOKEN' } }],
  capability: {
    consumes: [{ type: 'http', namespace: 'large-api', baseUri: 'https://api.large.example', authentication: { type: 'bearer', token: '{{env.LARGE_API_TOKEN}}' }, resources }],
    exposes: [
      { type: 'rest', namespace: 'large-rest', port: 8080, resources: restResources },
      { type: 'mcp', namespace: 'large-mcp', port: 9090, description: 'Tools of a very large capability.', tools },
    ],
  },
};
writeFileSync(out, stringify(doc, { lineWidth: 0 }));
process.stderr.write(`${out}: ${OPS} operations, ${tools.length} tools, ${restResources.length} REST resources\n`);
