/** How every report says that ignore rules left fields out: `2 fields ignored`, nothing when none were. */

import { type ChangeSet, countIgnored } from '../model/changeset.js';

export function ignoredFieldsNote(changeSet: ChangeSet | undefined): string {
  const count = changeSet ? countIgnored(changeSet.entries) : 0;
  if (count === 0) return '';
  return `${count} ${count === 1 ? 'field' : 'fields'} ignored`;
}
