/**
 * The control adapter (`type: control`): a management port with liveness and readiness, a status
 * document and Prometheus metrics of the other adapters. What it declares beyond these (reload,
 * validate, logs, traces, exporters) is not generated: each gets a finding naming the property.
 */
import type { SecretScope } from './bind-call.js';
import type { Note } from '../validate/finding.js';
import { transformInboundAuth } from './transform-inbound-auth.js';
import type { RawAuthentication } from './raw.js';
import type { ControlAdapter } from './types.js';

export interface RawExposesControl {
  type: 'control';
  address?: string;
  port: number;
  authentication?: RawAuthentication;
  management?: {
    health?: boolean;
    info?: boolean;
    reload?: boolean;
    validate?: boolean;
    logs?: boolean | Record<string, unknown>;
    scripting?: Record<string, unknown>;
  };
  observability?: {
    enabled?: boolean;
    metrics?: { local?: { enabled?: boolean } };
    traces?: Record<string, unknown>;
    exporters?: Record<string, unknown>;
  };
}

function notGenerated(what: string, path: (string | number)[], notes: Note[]): void {
  notes.push({
    rule: 'construct-unsupported',
    severity: 'warning',
    path,
    atKey: true,
    message: `${what} of the control adapter is not generated: the generated control port serves /health/live, /health/ready, /status and /metrics only.`,
    hint: 'Remove it, or provide it outside the generated server.',
  });
}

export function transformControl(raw: RawExposesControl, base: (string | number)[], secrets: SecretScope, notes: Note[], first: boolean): ControlAdapter | undefined {
  if (!first) {
    notes.push({
      rule: 'control-adapter-duplicate',
      severity: 'error',
      path: [...base, 'type'],
      message: 'A capability has at most one control adapter; this is a second one.',
      hint: 'Merge the two into one `type: control` adapter.',
    });
    return undefined;
  }
  const m = raw.management ?? {};
  const o = raw.observability ?? {};
  const at = (...keys: string[]) => [...base, ...keys];
  if (m.reload) notGenerated('`management.reload`', at('management', 'reload'), notes);
  if (m.validate) notGenerated('`management.validate`', at('management', 'validate'), notes);
  if (m.logs !== undefined && m.logs !== false) notGenerated('`management.logs`', at('management', 'logs'), notes);
  if (o.enabled !== false) {
    if (o.traces !== undefined) notGenerated('`observability.traces` (tracing and the recent-traces endpoint)', at('observability', 'traces'), notes);
    if (o.exporters !== undefined) notGenerated('`observability.exporters` (OTLP export)', at('observability', 'exporters'), notes);
  }
  const auth = transformInboundAuth(raw.authentication, base, 'control', secrets, notes);
  return {
    port: raw.port,
    ...(raw.address ? { address: raw.address } : {}),
    ...(auth ? { auth } : {}),
    health: m.health !== false,
    status: m.info === true,
    metrics: o.enabled !== false && o.metrics?.local?.enabled !== false,
  };
}
