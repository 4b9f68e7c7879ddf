/** Kubernetes minor versions as comparable numbers. */

export interface KubeVersion {
  major: number;
  minor: number;
}

/** Accepts `1.33`, `v1.33`, `1.33.2`; undefined for anything else. */
export function parseKubeVersion(text: string | undefined): KubeVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(String(text ?? '').trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareKubeVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatKubeVersion(v: KubeVersion): string {
  return `${v.major}.${v.minor}`;
}
