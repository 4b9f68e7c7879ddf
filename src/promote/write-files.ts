/** Writes a plan's files, and puts them back byte-for-byte when anything after that fails. */
import { writeFile } from 'node:fs/promises';
import type { PlannedFile } from './types.js';

export async function writePlannedFiles(files: readonly PlannedFile[]): Promise<void> {
  try {
    for (const file of files) await writeFile(file.absolutePath, file.after, 'utf8');
  } catch (error) {
    await restorePlannedFiles(files);
    throw error;
  }
}

export async function restorePlannedFiles(files: readonly PlannedFile[]): Promise<void> {
  for (const file of files) await writeFile(file.absolutePath, file.before, 'utf8');
}
