import { inertLine } from '../../src/action/output.js';
import { workflowCommands } from '../support/workflow-commands.js';

describe('inertLine', () => {
  it.each([
    'prod\n::warning title=INJECTED::x\n::add-mask::main',
    'prod\r::add-mask::main',
    '::add-mask::main',
    '  \t::stop-commands::token',
    '\u00a0\u0085::warning::x',
    'deploy ##[add-mask]main',
    '##[stop-commands]token',
  ])('keeps %j from being a workflow command', (value) => {
    expect(workflowCommands(inertLine(`${value}`))).toEqual([]);
    expect(inertLine(value).split(/\r\n|\r|\n/)).toHaveLength(1);
  });

  it('escapes % as the runner escapes command data, so an escaped value reads back unambiguously', () => {
    expect(inertLine('promotion to prod%0A::add-mask::main')).toBe('promotion to prod%250A::add-mask::main');
    expect(inertLine('a\nb\rc')).toBe('a%0Ab%0Dc');
  });

  it('leaves ordinary text alone', () => {
    expect(inertLine('slipway: deploy (push to main)')).toBe('slipway: deploy (push to main)');
    expect(inertLine('dev: 1 to create, 0 to update: ok')).toBe('dev: 1 to create, 0 to update: ok');
  });
});
