/** View of the control adapter (`type: control`) for config.ts and main.ts. */
import type { CapabilityModel } from '../../model/types.js';
import { tsString } from '../../names/escape.js';
import { inboundAuthExpression } from './inbound-auth-view.js';

export const CONTROL_ENV_PORT = 'CONTROL_PORT';
export const CONTROL_ENV_HOST = 'CONTROL_HOST';
const DEFAULT_CONTROL_HOST = '127.0.0.1';

export function controlConfigView(model: CapabilityModel) {
  const c = model.control;
  if (!c) return undefined;
  const host = c.address === undefined || c.address === 'localhost' ? DEFAULT_CONTROL_HOST : c.address;
  return { envPort: tsString(CONTROL_ENV_PORT), envHost: tsString(CONTROL_ENV_HOST), port: c.port, host: tsString(host), hasInboundAuth: c.auth !== undefined };
}

export function controlMainView(model: CapabilityModel) {
  const c = model.control;
  if (!c) return undefined;
  return {
    health: c.health,
    metrics: c.metrics,
    status: c.status,
    capability: tsString(model.info.label || model.sourceName),
    auth: inboundAuthExpression('control', c.auth),
  };
}
