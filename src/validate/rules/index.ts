/** Every cross-check, in the order their findings are most useful to read. */
import { callTargets } from './call-targets.js';
import { environmentNames } from './environment-names.js';
import { foreignExpressions } from './expressions.js';
import { identifiersDistinct } from './identifiers.js';
import { inputPatterns } from './input-patterns.js';
import { laterConstructs } from './later-constructs.js';
import { namespacesUnique } from './namespaces.js';
import { mcpNames } from './mcp-names.js';
import { portsDistinct } from './ports.js';
import { reservedRoutes } from './reserved-routes.js';
import { refTargets } from './ref-targets.js';
import { routesDistinct } from './routes.js';
import type { CrossCheck } from './rule.js';
import { toolNames } from './tool-names.js';
import { withKeys } from './with-keys.js';

export const CROSS_CHECKS: readonly CrossCheck[] = [
  namespacesUnique,
  callTargets,
  refTargets,
  toolNames,
  mcpNames,
  portsDistinct,
  routesDistinct,
  identifiersDistinct,
  foreignExpressions,
  environmentNames,
  withKeys,
  inputPatterns,
  reservedRoutes,
  laterConstructs,
];
