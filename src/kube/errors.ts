/** Errors raised while talking to a Kubernetes API server, phrased for the person running Slipway. */


/** Details of a `Status` object the API server returns with a failure. */
export interface KubeStatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
  [field: string]: unknown;
}

/**
 * A failure answered by the API server (an HTTP status), or a transport failure (status 0).
 * `message` names what was being done and to which object; credentials are masked.
 */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** The server's own message, masked. */
    readonly serverMessage: string,
    readonly details: KubeStatusDetails | undefined,
    /** What was being done, e.g. `PATCH Deployment/apps/web`. */
    readonly subject: string,
    /** Milliseconds the server asked to wait (Retry-After), when it did. */
    readonly retryAfterMs?: number,
  ) {
    super(`${subject}: ${status ? `${status} ${reason}` : reason}: ${serverMessage}`);
    this.name = 'KubeApiError';
  }
}

/** The transport could not get an HTTP answer (reset, refused, timeout). `code` is Node's error code. */
export class KubeTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** True when the request may have reached the server (the connection was established). */
    readonly connected: boolean,
  ) {
    super(message);
    this.name = 'KubeTransportError';
  }
}
