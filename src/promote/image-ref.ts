/**
 * Container image references, following the grammar of the distribution reference
 * (`[host[:port]/]path[:tag][@sha256:<64 hex>]`). `name` is everything before the tag or
 * digest, exactly as written: two references name the same image only when their names
 * are equal, which is also how kustomize's `images:` transformer matches.
 */
import { UserError } from '../model/errors.js';

export interface ImageRef {
  /** Registry host (with port) and repository path, as written. */
  name: string;
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const HOST_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** Parses a reference; throws a UserError saying which part is wrong. */
export function parseImageRef(text: string): ImageRef {
  const bad = (why: string): never => {
    throw new UserError(`'${text}' is not a valid image reference: ${why}`);
  };
  if (text.length === 0) bad('it is empty');
  if (/\s/.test(text)) bad('it contains white space');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) bad(`the digest '${digest}' is not sha256:<64 lower-case hex digits>`);
  }

  // A colon after the last slash starts the tag; one before it belongs to a registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) bad(`the tag '${tag}' must be 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`);
  }

  const name = rest;
  if (name.length === 0) bad('the name is empty');
  if (name.length > MAX_NAME_LENGTH) bad(`the name is longer than ${MAX_NAME_LENGTH} characters`);
  const parts = name.split('/');
  if (parts.length > 1 && looksLikeHost(parts[0])) {
    checkHost(parts[0], bad);
    parts.shift();
  }
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      bad(`the path component '${part}' must be lower-case letters and digits separated by '.', '_', '__' or '-'`);
    }
  }
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The first path component is a registry when it has a dot, a port, is `localhost`, or has capitals. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || /[A-Z]/.test(component) || component.startsWith('[');
}

function checkHost(host: string, bad: (why: string) => never): void {
  let hostname = host;
  const ipv6 = /^\[[0-9a-fA-F:]+\](?::(\d+))?$/.exec(host);
  if (ipv6) return;
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    const port = host.slice(colon + 1);
    if (!/^\d{1,5}$/.test(port)) bad(`the registry port '${port}' is not a number`);
    hostname = host.slice(0, colon);
  }
  if (!hostname.split('.').every((c) => HOST_COMPONENT.test(c))) bad(`the registry host '${hostname}' is not a valid host name`);
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The tag and/or digest part, as people read it: `1.5.0`, `sha256:…`, `1.5.0@sha256:…`. */
export function versionOf(ref: Pick<ImageRef, 'tag' | 'digest'>): string {
  if (ref.tag !== undefined && ref.digest !== undefined) return `${ref.tag}@${ref.digest}`;
  return ref.tag ?? ref.digest ?? '(no tag)';
}

export function sameVersion(a: Pick<ImageRef, 'tag' | 'digest'>, b: Pick<ImageRef, 'tag' | 'digest'>): boolean {
  return a.tag === b.tag && a.digest === b.digest;
}

/** `v1.2.3`, `1.2`, `2.0.0-rc.1`: numbers that order; other tags (`latest`, `main-3f2a`) do not. */
const VERSION_TAG = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;

/**
 * Whether `to` is an older version than `from`, by semantic versioning of their tags. Digests
 * carry no order (the registry would have to be asked), so only tags count.
 */
export function isBackwards(from: Pick<ImageRef, 'tag'>, to: Pick<ImageRef, 'tag'>): boolean {
  const a = from.tag?.match(VERSION_TAG);
  const b = to.tag?.match(VERSION_TAG);
  if (!a || !b) return false;
  for (let i = 1; i <= 3; i += 1) {
    const x = Number(a[i] ?? 0);
    const y = Number(b[i] ?? 0);
    if (x !== y) return y < x;
  }
  // Same numbers: a pre-release is older than the release (1.0.0-rc.1 < 1.0.0).
  if (a[4] === undefined || b[4] === undefined) return b[4] !== undefined && a[4] === undefined;
  return comparePrerelease(b[4], a[4]) < 0;
}

function comparePrerelease(x: string, y: string): number {
  const xs = x.split('.');
  const ys = y.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i += 1) {
    if (xs[i] === undefined) return -1;
    if (ys[i] === undefined) return 1;
    const nx = /^\d+$/.test(xs[i]) ? Number(xs[i]) : undefined;
    const ny = /^\d+$/.test(ys[i]) ? Number(ys[i]) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx - ny;
    } else if (nx !== undefined) return -1;
    else if (ny !== undefined) return 1;
    else if (xs[i] !== ys[i]) return xs[i] < ys[i] ? -1 : 1;
  }
  return 0;
}
