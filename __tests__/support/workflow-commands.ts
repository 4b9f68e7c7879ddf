/**
 * Reads a step's output the way the GitHub Actions runner does, to find every line it would take
 * as a workflow command: `::name props::data` after leading whitespace (ActionCommand.TryParseV2),
 * else the legacy `##[name props]data` anywhere in the line (ActionCommand.TryParse), for the
 * command names the runner registers. Lines end at `\n`, `\r` or `\r\n`, as .NET reads them.
 */
export interface WorkflowCommand {
  line: string;
  name: string;
  properties: Record<string, string>;
  data: string;
  legacy: boolean;
}

const REGISTERED = new Set(['set-env', 'set-output', 'save-state', 'add-mask', 'add-path', 'add-matcher', 'remove-matcher', 'debug', 'warning', 'error', 'notice', 'group', 'endgroup', 'echo', 'stop-commands']);

const unescapeData = (text: string) => text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string) => unescapeData(text).replace(/%3A/gi, ':').replace(/%2C/gi, ',');

export function workflowCommands(output: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const command = parseV2(line) ?? parseLegacy(line);
    if (command) commands.push(command);
  }
  return commands;
}

function parseV2(line: string): WorkflowCommand | undefined {
  // .NET's TrimStart removes Unicode white space, U+0085 included.
  const trimmed = line.replace(/^[\s\u0085]+/, '');
  if (!trimmed.startsWith('::')) return undefined;
  const end = trimmed.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = trimmed.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { line, name, properties, data: unescapeData(trimmed.slice(end + 2)), legacy: false };
}

function parseLegacy(line: string): WorkflowCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!REGISTERED.has(name)) return undefined;
  return { line, name, properties: {}, data: line.slice(close + 1), legacy: true };
}
