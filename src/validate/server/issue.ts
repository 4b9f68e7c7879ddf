/** A refusal the API server would give beyond the schema, with the rule that found it. */
import type { PathSegment } from '../json-path.js';

export type ServerRule = 'server-name' | 'server-label' | 'server-enum' | 'list-map-duplicate' | 'server-workload' | 'crd-schema';

export interface ServerIssue {
  rule: ServerRule;
  path: PathSegment[];
  message: string;
}
