/**
 * Error bodies shaped like the real API server's metav1.Status, so clients that parse
 * `reason`, `code`, `details.causes` or `retryAfterSeconds` take their real code paths.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Thrown by handlers; the server turns it into a Status response with `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusBody {
  // The real server omits empty fields (omitempty), e.g. `group` for the core group.
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = dropEmpty(details);
  if (!reason) delete body.reason;
  return body;
}

function dropEmpty(details: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  for (const [key, value] of Object.entries(details) as [keyof StatusDetails, unknown][]) {
    if (value !== undefined && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** `deployments.apps` or `configmaps`: how the server names a resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** `Deployment.apps` or `ConfigMap`: how validation errors name a kind. */
export function qualifiedKind(kind: string, group: string): string {
  return group ? `${kind}.${group}` : kind;
}

export const errors = {
  notFound(resource: string, group: string, name: string): ApiError {
    return new ApiError(
      failure(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, group, kind: resource }),
    );
  },
  /** A path the server does not serve at all: the real server answers with a bare 404 Status. */
  pathNotFound(): ApiError {
    return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
  },
  alreadyExists(resource: string, group: string, name: string): ApiError {
    return new ApiError(
      failure(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, group, kind: resource }),
    );
  },
  conflict(resource: string, group: string, name: string): ApiError {
    return new ApiError(
      failure(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group, kind: resource },
      ),
    );
  },
  /** Server-side apply conflicts: one cause per field, reason FieldManagerConflict. */
  applyConflict(message: string, causes: StatusCause[]): ApiError {
    return new ApiError(failure(409, 'Conflict', message, { causes }));
  },
  invalid(kind: string, group: string, name: string, causes: { field: string; message: string; reason?: string }[]): ApiError {
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError(
      failure(422, 'Invalid', `${qualifiedKind(kind, group)} "${name}" is invalid: ${summary}`, {
        name,
        group,
        kind,
        causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
      }),
    );
  },
  /** 422 without a named object, as for a JSON patch that does not apply. */
  unprocessable(message: string): ApiError {
    return new ApiError(failure(422, 'Invalid', message, {}));
  },
  badRequest(message: string): ApiError {
    return new ApiError(failure(400, 'BadRequest', message));
  },
  unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
    return new ApiError(
      failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {}),
      { 'x-requested-content-type': contentType },
    );
  },
  methodNotAllowed(method: string): ApiError {
    return new ApiError(failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`, {}));
  },
  forbidden(message: string): ApiError {
    return new ApiError(failure(403, 'Forbidden', message, {}));
  },
  unauthorized(): ApiError {
    return new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));
  },
  tooManyRequests(retryAfterSeconds: number): ApiError {
    return new ApiError(failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }), {
      'Retry-After': String(retryAfterSeconds),
    });
  },
  internal(message: string): ApiError {
    return new ApiError(failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));
  },
  serviceUnavailable(): ApiError {
    return new ApiError(failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {}));
  },
  gatewayTimeout(): ApiError {
    return new ApiError(failure(504, 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request', {}));
  },
};

export function success(details: StatusDetails): StatusBody & { status: 'Success' } {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: dropEmpty(details), code: 200 } as StatusBody & {
    status: 'Success';
  };
}
