/**
 * One capability from a group of operations (one tag): a consumed HTTP API with one resource per
 * path and one operation per API operation, a REST adapter that serves the same paths, and an MCP
 * adapter with one tool per operation. Only what the strict schema accepts is written: consumed
 * parameters carry `name` and `in` only; exposed inputs are declared with their types.
 *
 * The result is a plain object whose key order is the order of the YAML file.
 */
import { routeShape } from '../model/template.js';
import type { HttpMethod } from '../model/raw.js';
import type { InputConstraints } from '../model/raw.js';
import type { ImportedOperation, ImportedParameter } from './collect-operations.js';
import { IdentifierScope } from '../names/identifiers.js';
import { kebabCase, MAX_NAME, MAX_TOOL_NAME } from './naming.js';
import type { ImportedSecurity } from './security.js';

export const REST_PORT = 8080;
export const MCP_PORT = 9090;

export type GroupBy = 'tag' | 'path' | 'none';

export interface CapabilityGroup {
  /** How the operations were grouped, and the group's tag or first path segment (undefined for the rest, or for the whole API). */
  by: GroupBy;
  tag: string | undefined;
  /** The description of the tag in the document's `tags` list. */
  tagDescription: string | undefined;
  /** File stem and consumes namespace: `qovery-organization-api-token`. */
  name: string;
  operations: ImportedOperation[];
}

export interface ApiInfo {
  title: string;
  version: string | undefined;
  /** The input file's base name, for the descriptions. */
  source: string;
  baseUri: string;
  security: ImportedSecurity;
  /** Write only what the official schema accepts: enums, defaults and bounds go into the descriptions. */
  strict: boolean;
}

export interface BuiltCapability {
  document: Record<string, unknown>;
  operations: number;
  /** One per operation dropped because its REST route repeats another one's. */
  warnings: string[];
}

type Hints = { readOnly: boolean; destructive: boolean; idempotent: boolean };

/** MCP hints from the HTTP method's semantics (RFC 9110): GET is safe, PUT and DELETE are idempotent, DELETE destroys. */
export function hintsFor(method: HttpMethod): Hints {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return { readOnly: true, destructive: false, idempotent: true };
    case 'PUT':
      return { readOnly: false, destructive: false, idempotent: true };
    case 'DELETE':
      return { readOnly: false, destructive: true, idempotent: true };
    case 'POST':
    case 'PATCH':
      return { readOnly: false, destructive: false, idempotent: false };
  }
}

/** What an operation does, in one non-empty text: summary and description, or failing both its method and path. */
function operationDescription(op: ImportedOperation): string {
  const parts = [op.summary, op.description && op.description !== op.summary ? op.description : undefined].filter((s): s is string => s !== undefined);
  const text = parts.length > 0 ? parts.join('\n\n') : fallbackDescription(op);
  return op.deprecated ? `Deprecated. ${text}` : text;
}

function shortDescription(op: ImportedOperation): string {
  const first = op.summary ?? op.description?.split(/\n\s*\n/)[0]?.trim() ?? fallbackDescription(op);
  return op.deprecated ? `Deprecated. ${first}` : first;
}

/** Without summary or description: the operationId in words (`listPets` → `List pets (GET /pets).`), else method and path. */
function fallbackDescription(op: ImportedOperation): string {
  if (op.operationId === undefined) return `${op.method} ${op.path}`;
  const words = kebabCase(op.operationId).replace(/-/g, ' ');
  return words === '' ? `${op.method} ${op.path}` : `${words[0]!.toUpperCase()}${words.slice(1)} (${op.method} ${op.path}).`;
}

/** Which operations a group holds, in words. */
export function groupScope(group: Pick<CapabilityGroup, 'by' | 'tag'>): string {
  if (group.by === 'none') return 'all its operations';
  if (group.by === 'path') return group.tag !== undefined ? `the operations under /${group.tag}` : 'the operations on the root path';
  return group.tag !== undefined ? `the operations tagged ${group.tag}` : 'the operations without a tag';
}

/** A request matches a route by method and by its path with placeholder names ignored (`/a/{x}` is `/a/{y}`). */
function routeKey(op: ImportedOperation): string {
  return `${op.method} ${routeShape(op.path)}`;
}

export function buildCapability(group: CapabilityGroup, api: ApiInfo): BuiltCapability {
  const warnings: string[] = [];
  const namespace = group.name;
  const restNamespace = `${namespace}-rest`;
  const mcpNamespace = `${namespace}-mcp`;
  const subject = group.tag !== undefined ? `${api.title} — ${group.tag}` : api.title;

  // Two operations on one route (paths that differ only in placeholder names) cannot both be served.
  const routes = new Map<string, ImportedOperation>();
  const operations = group.operations.filter((op) => {
    const first = routes.get(routeKey(op));
    if (first) {
      warnings.push(`${op.where}: skipped: it answers the same requests as ${first.where} (paths that differ only in placeholder names are one route)`);
      return false;
    }
    routes.set(routeKey(op), op);
    return true;
  });

  const resourceNames = new IdentifierScope();
  const operationNames = new IdentifierScope();
  const toolNames = new IdentifierScope();
  const byPath = new Map<string, { name: string; ops: Array<{ op: ImportedOperation; name: string; tool: string }> }>();
  for (const op of operations) {
    let resource = byPath.get(op.path);
    if (!resource) {
      resource = { name: resourceNames.claimName(kebabCase(op.path) || 'root', MAX_NAME), ops: [] };
      byPath.set(op.path, resource);
    }
    const wanted = (op.operationId ? kebabCase(op.operationId) : '') || kebabCase(`${op.method} ${op.path}`);
    resource.ops.push({ op, name: operationNames.claimName(wanted, MAX_NAME), tool: toolNames.claimName(wanted, MAX_TOOL_NAME) });
  }
  const resources = [...byPath.entries()];

  const consumedResources = resources.map(([path, r]) => ({
    name: r.name,
    path,
    operations: r.ops.map(({ op, name }) => {
      const inputs = [
        ...op.fixedQuery.map(([n, value]) => ({ name: n, in: 'query', value })),
        ...op.fixedHeaders.map(([n, value]) => ({ name: n, in: 'header', value })),
        ...op.parameters.map((p) => ({ name: p.name, in: p.in })),
        ...(op.body ? [{ name: 'body', in: 'body' }] : []),
      ];
      return {
        name,
        method: op.method,
        description: shortDescription(op),
        ...(inputs.length > 0 ? { inputParameters: inputs } : {}),
      };
    }),
  }));

  const withOf = (op: ImportedOperation, prefix: string): Record<string, string> =>
    Object.fromEntries([...op.parameters.map((p) => p.name), ...(op.body ? ['body'] : [])].map((n) => [n, `${prefix}.${n}`]));
  // The keywords of an input (relaxed-input-constraints), or under --strict its values in words.
  const described = (p: ImportedParameter): { description: string } => ({ description: api.strict && p.values !== '' ? `${p.description} ${p.values}` : p.description });
  const constrained = (p: ImportedParameter): InputConstraints => (api.strict ? {} : p.constraints);

  const restResources = resources.map(([path, r]) => ({
    path,
    name: r.name,
    operations: r.ops.map(({ op, name }) => {
      // The JSON body taken whole is not declared: an input that feeds a consumed `in: body` parameter is then the
      // whole request body, as in the API (a declared one would be a field of it). Body fields are declared `in: body`.
      // A REST input has no `required` in the official schema: it is written only as the relaxation.
      const inputs = op.parameters.map((p) => ({
        name: p.name,
        in: p.in === 'formData' ? 'body' : p.in,
        type: p.type,
        ...described(p),
        ...(!api.strict && p.required && p.in !== 'path' ? { required: true } : {}),
        ...constrained(p),
      }));
      const w = withOf(op, 'rest');
      return {
        method: op.method,
        name,
        description: operationDescription(op),
        ...(inputs.length > 0 ? { inputParameters: inputs } : {}),
        call: `${namespace}.${name}`,
        ...(Object.keys(w).length > 0 ? { with: w } : {}),
      };
    }),
  }));

  const tools = resources.flatMap(([, r]) =>
    r.ops.map(({ op, name, tool }) => {
      const inputs = [
        ...op.parameters.map((p) => ({ name: p.name, type: p.type, ...described(p), required: p.required, ...constrained(p) })),
        ...(op.body ? [{ name: 'body', type: op.body.type, description: op.body.description, required: op.body.required }] : []),
      ];
      const w = withOf(op, 'tools');
      return {
        name: tool,
        ...(op.summary && op.description && op.description !== op.summary ? { label: op.summary } : {}),
        description: operationDescription(op),
        hints: hintsFor(op.method),
        ...(inputs.length > 0 ? { inputParameters: inputs } : {}),
        call: `${namespace}.${name}`,
        ...(Object.keys(w).length > 0 ? { with: w } : {}),
      };
    }),
  );

  const { security } = api;
  const versioned = `${api.title}${api.version ? ` ${api.version}` : ''}`;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const scope = groupScope(group);
  const description = [
    ...(group.tagDescription ? [group.tagDescription] : []),
    `${count(operations.length, 'operation')} of ${versioned}${group.by === 'none' ? '' : ` (${scope})`}, imported from ${api.source}.`,
  ].join('\n\n');

  const document: Record<string, unknown> = {
    naftiko: '1.0.0-alpha2',
    info: {
      label: subject,
      description,
      tags: group.tag !== undefined ? [api.title, group.tag] : [api.title],
    },
    ...(security.secrets.length > 0
      ? {
          binds: [
            {
              namespace: 'env',
              description: `Credentials of ${api.title}, read from the environment.`,
              keys: Object.fromEntries(security.secrets.map((s) => [s, s])),
            },
          ],
        }
      : {}),
    capability: {
      consumes: [
        {
          type: 'http',
          namespace,
          description: `${versioned}: ${scope}.`,
          baseUri: api.baseUri,
          ...(security.authentication ? { authentication: security.authentication } : {}),
          ...(security.parameters.length > 0 ? { inputParameters: security.parameters.map((p) => ({ name: p.name, in: p.in, value: p.value })) } : {}),
          resources: consumedResources,
        },
      ],
      exposes: [
        { type: 'rest', namespace: restNamespace, port: REST_PORT, resources: restResources },
        {
          type: 'mcp',
          namespace: mcpNamespace,
          port: MCP_PORT,
          transport: 'http',
          description: `Tools for ${subject}: ${count(tools.length, 'tool')}, one per operation of ${versioned}.`,
          tools,
        },
      ],
    },
  };
  return { document, operations: operations.length, warnings };
}
