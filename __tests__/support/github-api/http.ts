/** Request/response shapes of the fake GitHub and the helpers every route shares (errors, pagination). */

export interface FakeRequest {
  method: string;
  /** Path without the query string, e.g. `/repos/o/r/issues/1/comments`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** Base URL of the server, for URLs in responses and Link headers. */
  baseUrl: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = {
  method: string;
  pattern: RegExp;
  handle: (request: FakeRequest, params: string[]) => FakeResponse;
};

const DOCS = 'https://docs.github.com/rest';

export function notFound(): FakeResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

/** GitHub's 422: `Validation Failed` with one error naming the resource and field. */
export function validationFailed(resource: string, field: string, code: string, message?: string): FakeResponse {
  const error: Record<string, string> = { resource, field, code };
  if (message) error.message = message;
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [error], documentation_url: DOCS, status: '422' },
  };
}

export function bodyObject(request: FakeRequest): Record<string, unknown> {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * One page of a list, the way GitHub pages: `per_page` (default 30, at most 100) and `page`
 * (1-based), with a Link header naming `prev`, `next`, `first` and `last` pages when they exist.
 */
export function paginate<T>(request: FakeRequest, items: readonly T[]): FakeResponse {
  const perPage = Math.min(Math.max(Number(request.query.get('per_page')) || 30, 1), 100);
  const page = Math.max(Number(request.query.get('page')) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(p));
    return `<${request.baseUrl}${request.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, body: slice, headers: links.length ? { link: links.join(', ') } : {} };
}
