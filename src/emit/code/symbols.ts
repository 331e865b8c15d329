/**
 * Where each symbol a template prints comes from. A template writes `{{use "toolFailure"}}`: the name is
 * printed and its import registered in that file's ImportSet (src/emit/render.ts), so a file imports what
 * it prints and nothing else. Paths starting with `./` are under the generated project's `src/`.
 */
export interface SymbolSource {
  from: string;
  /** Imported with `type`: the symbol is only a type. */
  type?: boolean;
}

const value = (from: string): SymbolSource => ({ from });
const type = (from: string): SymbolSource => ({ from, type: true });

export const SYMBOLS = {
  McpServer: value('@modelcontextprotocol/server'),
  ResourceTemplate: value('@modelcontextprotocol/server'),
  ReadResourceResult: type('@modelcontextprotocol/server'),
  Apis: type('./apis.js'),
  Secrets: type('./config.js'),
  checkInput: value('./runtime/inputs.js'),
  OutputSpec: type('./runtime/output.js'),
  toolFailure: value('./runtime/mcp.js'),
  toolResult: value('./runtime/mcp.js'),
  refuseToolCalls: value('./runtime/mcp.js'),
  resourceFailure: value('./runtime/mcp-extras.js'),
  resourceFromUpstream: value('./runtime/mcp-extras.js'),
  resourceFromSteps: value('./runtime/mcp-extras.js'),
  promptMessages: value('./runtime/mcp-extras.js'),
  ResponseCache: value('./runtime/cache.js'),
  mockAnswer: value('./runtime/mock.js'),
  toolJson: value('./runtime/mock.js'),
  MockValue: type('./runtime/mock.js'),
  runSteps: value('./runtime/steps.js'),
  Step: type('./runtime/steps.js'),
  StepMapping: type('./runtime/steps.js'),
  ScriptFunction: type('./runtime/steps.js'),
  Route: type('./runtime/rest.js'),
  ForwardRoute: type('./runtime/rest.js'),
  fromUpstream: value('./runtime/rest.js'),
  forwardTo: value('./runtime/forward.js'),
  ApiClient: value('./runtime/upstream.js'),
  OperationDescriptor: type('./runtime/upstream.js'),
  Args: type('./runtime/upstream.js'),
  UpstreamResponse: type('./runtime/upstream.js'),
  Hooks: type('./runtime/hooks.js'),
  listen: value('./runtime/server.js'),
  log: value('./runtime/server.js'),
  stopOnSignals: value('./runtime/server.js'),
  Listening: type('./runtime/server.js'),
  createRestServer: value('./runtime/rest.js'),
  createMcpHttpServer: value('./runtime/mcp.js'),
  createSkillServer: value('./runtime/skills.js'),
  createControlServer: value('./runtime/control.js'),
  RequestMetrics: value('./runtime/control.js'),
  statusOf: value('./runtime/control.js'),
} as const satisfies Record<string, SymbolSource>;

export type SymbolName = keyof typeof SYMBOLS;
