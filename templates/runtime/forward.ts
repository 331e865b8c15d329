/**
 * `forward` resources of the REST adapter: the request passed on to a consumed API with its method and
 * body, only the trusted headers (and the body's content type), the API's fixed headers and its own
 * credentials; the answer's status and body passed back as received.
 */
import type { ForwardedRequest, RestResult } from './rest.js';
import type { ApiClient } from './upstream.js';

export function forwardTo(
  client: ApiClient,
  trustedHeaders: readonly string[],
  fixedHeaders: Readonly<Record<string, string>> = {},
): (request: ForwardedRequest) => Promise<RestResult> {
  const trusted = [...trustedHeaders.map((h) => h.toLowerCase()), 'content-type'];
  return async (request) => {
    const headers: Record<string, string> = {};
    for (const name of trusted) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
      else if (Array.isArray(value)) headers[name] = value.join(', ');
    }
    if (request.body === undefined || request.body.length === 0) delete headers['content-type'];
    // The API's own headers (consumes-level parameters with a value): a trusted header cannot replace them.
    for (const [name, value] of Object.entries(fixedHeaders)) headers[name.toLowerCase()] = value;
    const body = request.body !== undefined && request.body.length > 0 ? request.body : undefined;
    const response = await client.forward(request.method, request.segments, headers, body);
    return response.text === '' && !response.bytes?.length
      ? { status: response.status }
      : { status: response.status, raw: response.bytes ?? response.text, contentType: response.contentType };
  };
}
