/** The part of a REST operation's or an MCP tool's view that calls the consumed API: shared by both adapters. */
import type { CallBinding, ExposedInput, ExposedOutput } from '../../model/types.js';
import { callArguments, callFieldNames, zodObject } from '../code/expressions.js';
import type { ImportSet } from '../code/imports.js';
import { apiFor, type ProjectNames } from './naming.js';
import { outputSpecLiteral } from './output-spec.js';

export function callView(item: { call: CallBinding; inputs: readonly ExposedInput[]; output: ExposedOutput }, project: ProjectNames, imports: ImportSet) {
  const target = apiFor(project, item.call.operation);
  return {
    schema: zodObject(item.inputs, ''),
    output: outputSpecLiteral(item.output),
    api: target.api.key,
    call: target.method,
    argNames: callFieldNames(item.call),
    args: callArguments(item.call, item.inputs, { input: 'input', secrets: 'secrets', imports }, '        '),
  };
}
