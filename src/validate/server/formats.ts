/**
 * The API server's string formats (k8s.io/apimachinery/pkg/util/validation), each returning
 * the server's own explanation when the value is refused and undefined when it is accepted.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SERVICE_NAME = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;
const C_IDENTIFIER_ENV = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
// Printable ASCII except '=': environment variable names with relaxed validation (1.32+).
const PRINTABLE_NO_EQUALS = /^[\x20-\x3c\x3e-\x7e]+$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

export function dns1123Label(value: string): string | undefined {
  if (value.length > DNS1123_LABEL_MAX) return `must be no more than ${DNS1123_LABEL_MAX} characters`;
  if (!DNS1123_LABEL.test(value))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";
  return undefined;
}

export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > DNS1123_SUBDOMAIN_MAX) return `must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`;
  if (!DNS1123_SUBDOMAIN.test(value))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
  return undefined;
}

/** Names of RBAC objects and flow-control objects: anything that is a URL path segment. */
export function pathSegmentName(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (value.includes('/')) return "may not contain '/'";
  if (value.includes('%')) return "may not contain '%'";
  return undefined;
}

/** Label and annotation keys: an optional DNS subdomain prefix and '/', then a name of at most 63. */
export function qualifiedName(value: string): string | undefined {
  const parts = value.split('/');
  let name = value;
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const problem = dns1123Subdomain(prefix);
    if (problem) return `prefix part ${problem}`;
  } else if (parts.length > 2) {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
  return undefined;
}

export function labelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(value))
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')";
  return undefined;
}

/** Named ports: at most 15 characters, lowercase letters, digits and single inner hyphens, at least one letter. */
export function ianaServiceName(value: string): string | undefined {
  if (value.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SERVICE_NAME.test(value)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  if (value.includes('--')) return 'must not contain consecutive hyphens';
  if (!HAS_LETTER.test(value)) return 'must contain at least one letter (a-z)';
  if (value.startsWith('-') || value.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/** Environment variable names; `relaxed` from Kubernetes 1.32 (RelaxedEnvironmentVariableValidation on by default). */
export function envVarName(value: string, relaxed: boolean): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (relaxed) return PRINTABLE_NO_EQUALS.test(value) ? undefined : "must consist only of printable ASCII characters other than '='";
  if (!C_IDENTIFIER_ENV.test(value))
    return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
  return undefined;
}

export function portNumber(value: number): string | undefined {
  return value >= 1 && value <= 65535 ? undefined : 'must be between 1 and 65535, inclusive';
}
