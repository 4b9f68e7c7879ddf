// Every test finds the unpacked kubectl and helm first (see scripts/install-tools.mjs).
import { delimiter, join } from 'node:path';

const toolsBin = join(process.cwd(), '.tools', 'bin');
if (!(process.env.PATH ?? '').split(delimiter).includes(toolsBin)) {
  process.env.PATH = `${toolsBin}${delimiter}${process.env.PATH ?? ''}`;
}
