/** Label selectors: whether one selects a set of labels, as the workload controllers decide. */
import { isPlainObject } from '../../model/objects.js';

/** True when `selector` (matchLabels and matchExpressions) is empty: it would select everything. */
export function isEmptySelector(selector: Record<string, unknown>): boolean {
  const labels = isPlainObject(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels + expressions === 0;
}

/** Whether `selector` selects `labels`; undefined when an expression's operator is unknown. */
export function selectorMatches(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean | undefined {
  if (isPlainObject(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) if (String(labels[key]) !== String(value) || !(key in labels)) return false;
  }
  if (!Array.isArray(selector.matchExpressions)) return true;
  for (const expression of selector.matchExpressions) {
    if (!isPlainObject(expression) || typeof expression.key !== 'string') return undefined;
    const present = expression.key in labels;
    const value = String(labels[expression.key]);
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    switch (expression.operator) {
      case 'In':
        if (!present || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return undefined;
    }
  }
  return true;
}
