/**
 * The engine's tutorial, step 1: a tool with neither call nor steps answers from its output values.
 * The generated mock literal is evaluated with the runtime's own mockAnswer, in process (the full
 * project path is covered by e2e-handlers.test.ts).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { emitProject } from '../src/emit/emit-project.js';
import { validateText } from '../src/validate/validate.js';
import { mockAnswer, type MockValue } from '../templates/runtime/mock.js';
import { describeWithShared, SHARED } from './helpers/shared.js';

const STEP_1 = `${SHARED}conformance/framework-1.0.0-alpha2/tutorial/step-1-shipyard-mock.yml`;

describeWithShared('tutorial step 1 (mock mode)', () => {
  it('builds with no finding and answers with the engine\'s ship, filled from the arguments', () => {
    const { findings, model } = validateText(STEP_1, readFileSync(STEP_1, 'utf8'));
    expect(findings).toEqual([]);
    const adapter = emitProject(model!).get('src/mcp/shipyard-tools.ts')!;
    const literal = /const getShipMock: Readonly<Record<string, MockValue>> = ([\s\S]*?);\n/.exec(adapter)![1]!;
    const fields = new Function(`return ${literal};`)() as Record<string, MockValue>;
    expect(mockAnswer(fields, { imo_number: 'IMO-9321483' })).toEqual({ imo: 'IMO-9321483', name: 'Northern Star', type: 'cargo', flag: 'NO', status: 'active' });
  });
});
