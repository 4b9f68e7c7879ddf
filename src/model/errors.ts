/**
 * An error meant for the user: it says what went wrong, where (file, line, object or setting),
 * and what to do. Entry points print `message` without a stack trace.
 */
export class UserError extends Error {
  /** What went wrong, without the hint. */
  readonly problem: string;

  constructor(
    problem: string,
    readonly hint?: string,
  ) {
    super(hint ? `${problem}\n  ${hint}` : problem);
    this.name = 'UserError';
    this.problem = problem;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A failure as results carry it to the reports: what went wrong and, for a UserError, what to
 * do, kept apart so each report shows the hint its own way.
 */
export interface Problem {
  message: string;
  hint?: string;
}

/** The problem an error describes; `context` (e.g. `promotion from dev failed`) goes before the message. */
export function problemOf(error: unknown, context?: string): Problem {
  const prefix = context ? `${context}: ` : '';
  if (error instanceof UserError) return error.hint ? { message: `${prefix}${error.problem}`, hint: error.hint } : { message: `${prefix}${error.problem}` };
  return { message: `${prefix}${errorMessage(error)}` };
}

/** On one line, for logs and short descriptions: the message, then the hint. */
export function problemText(problem: Problem): string {
  return problem.hint ? `${problem.message} ${problem.hint}` : problem.message;
}
