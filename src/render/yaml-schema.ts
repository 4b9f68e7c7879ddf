/**
 * How manifest YAML is read. kubectl reads manifests with go-yaml v2 (through sigs.k8s.io/yaml),
 * which follows YAML 1.1 for scalars: `0644` is octal 420 (think `defaultMode`), `yes`/`on` are
 * booleans, `<<` merges. Objects are sent to the API server exactly as parsed here, so they must
 * match what kubectl would send. go-yaml v2 keeps timestamps as strings and knows no sexagesimal
 * numbers (`1:20`), so those YAML 1.1 tags are left out.
 */
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

const NOT_IN_KUBECTL = new Set(['tag:yaml.org,2002:timestamp']);

export const manifestYamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'yaml-1.1',
  customTags: (tags) =>
    tags.filter((tag) => {
      if (typeof tag === 'string') return tag !== 'timestamp' && tag !== 'intTime' && tag !== 'floatTime';
      if (NOT_IN_KUBECTL.has(tag.tag)) return false;
      // The sexagesimal int and float tags carry `format: 'TIME'`.
      return !('format' in tag && tag.format === 'TIME');
    }),
  uniqueKeys: true,
  prettyErrors: false,
  keepSourceTokens: false,
};
