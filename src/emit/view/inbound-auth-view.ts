/** The inbound-authentication check of an exposed adapter, as the expression main.ts passes to its server. */
import type { InboundAuthentication } from '../../model/types.js';
import { tsPropertyKey, tsString } from '../../names/escape.js';
import { templateExpression } from '../code/expressions.js';

const SCOPE = { input: 'input', secrets: 'config.secrets' };

function credentials(auth: InboundAuthentication): string {
  const fields: Array<[string, string]> = [['kind', tsString(auth.kind)]];
  switch (auth.kind) {
    case 'bearer':
      fields.push(['token', templateExpression(auth.token, SCOPE)]);
      break;
    case 'basic':
      fields.push(['username', templateExpression(auth.username, SCOPE)], ['password', templateExpression(auth.password, SCOPE)]);
      break;
    case 'apikey':
      fields.push(['key', tsString(auth.key)], ['value', templateExpression(auth.value, SCOPE)], ['placement', tsString(auth.placement)]);
      break;
  }
  return `{ ${fields.map(([k, v]) => `${tsPropertyKey(k)}: ${v}`).join(', ')} }`;
}

/** `inboundAuth('realm', { kind: 'bearer', token: config.secrets.TOKEN })`, or '' when the adapter has none. */
export function inboundAuthExpression(realm: string, auth: InboundAuthentication | undefined): string {
  return auth ? `inboundAuth(${tsString(realm)}, ${credentials(auth)})` : '';
}
