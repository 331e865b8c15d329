/**
 * A document given to `validate` or `build` that is an OpenAPI (or Swagger) description rather than a
 * capability: say so, and how to get capabilities from it, instead of asking for a `naftiko:` version.
 */
export interface NotACapability {
  pointer: string;
  message: string;
  hint: string;
}

export function openApiDocumentFinding(data: Record<string, unknown>, file: string): NotACapability | undefined {
  if ('naftiko' in data || 'ikanos' in data) return undefined;
  const key = 'openapi' in data ? 'openapi' : 'swagger' in data ? 'swagger' : undefined;
  if (key === undefined) return undefined;
  const version = typeof data[key] === 'string' || typeof data[key] === 'number' ? ` ${String(data[key])}` : '';
  const run = `run \`naftiko-gen import openapi ${file}\` to write capabilities from it (into capabilities/), then validate or build those.`;
  return key === 'openapi'
    ? { pointer: '/openapi', message: `This is an OpenAPI${version} document, not a Naftiko capability.`, hint: `This is an OpenAPI document: ${run}` }
    : {
        pointer: '/swagger',
        message: `This is a Swagger${version} (OpenAPI 2) document, not a Naftiko capability.`,
        hint: `Convert it to OpenAPI 3 first (for example with swagger2openapi), then ${run}`,
      };
}
