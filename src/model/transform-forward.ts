/** Transform of an exposed REST resource's `forward` (requests passed on to a consumed API). */
import type { Note } from '../validate/finding.js';
import type { RawExposedResource } from './raw.js';
import { parsePath } from './template.js';
import type { ConsumedApi, RestAdapter, RestForward } from './types.js';

/**
 * The engine sends a forwarded request to `baseUri + "/" + {path}`: the placeholder that ends the
 * resource path takes the rest of the request path (one segment or more). A path without a placeholder
 * forwards what is below it; placeholders before the last one are not supported.
 */
export function transformForward(resource: RawExposedResource, at: (string | number)[], apis: readonly ConsumedApi[], notes: Note[]): RestForward | undefined {
  const forward = resource.forward!;
  if (!apis.some((a) => a.namespace === forward.targetNamespace)) {
    notes.push({
      rule: 'call-target-missing',
      severity: 'error',
      path: [...at, 'targetNamespace'],
      message: `\`forward\` names the consumed API \`${forward.targetNamespace}\`, which this capability does not declare.`,
      hint: `Declare it under \`consumes\`, or use one of: ${apis.map((a) => `\`${a.namespace}\``).join(', ') || '(none)'}.`,
    });
    return undefined;
  }
  const parts = parsePath(resource.path).parts;
  const lastParam = parts.map((p) => p.kind).lastIndexOf('param');
  const fixed = (lastParam < 0 ? parts : parts.slice(0, lastParam)).map((p) => (p.kind === 'text' ? p.text : '\u0000')).join('');
  const trailing = lastParam < 0 ? [] : parts.slice(lastParam + 1);
  if (fixed.includes('\u0000') || trailing.some((p) => p.kind !== 'text' || p.text !== '') || (lastParam >= 0 && !fixed.endsWith('/'))) {
    notes.push({
      rule: 'construct-unsupported',
      severity: 'warning',
      path: [...at],
      message: `A \`forward\` on \`${resource.path}\` is generated only when the path ends with the one placeholder that takes the rest of the path (\`/proxy/{path}\`); this one is left out of the generated server.`,
      hint: 'Write the path as fixed segments followed by one placeholder, such as `/notion/{{path}}`.',
    });
    return undefined;
  }
  return {
    path: resource.path,
    prefix: fixed.split('/').filter((s) => s !== ''),
    targetNamespace: forward.targetNamespace,
    trustedHeaders: forward.trustedHeaders ?? [],
    except: (resource.operations ?? []).map((o) => o.method),
  };
}

/** Whether the REST adapter's `forward` resources send a bound secret (a fixed header of the target API). */
export function forwardsUseSecrets(adapter: RestAdapter, apis: readonly ConsumedApi[]): boolean {
  return (adapter.forwards ?? []).some((f) =>
    (apis.find((a) => a.namespace === f.targetNamespace)?.fixedHeaders ?? []).some((h) => h.value.some((p) => p.kind === 'secret')),
  );
}
