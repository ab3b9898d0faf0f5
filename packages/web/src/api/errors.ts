import { problemKind, type Problem } from '@ehrms/ui';

/** Every failed API call surfaces as this, carrying the RFC 9457 problem to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** Last segment of the problem type, e.g. `invalid-credentials`. */
  get kind(): string | undefined {
    return problemKind(this.problem);
  }
}

export const networkProblem: Problem = {
  title: 'Cannot reach the server',
  detail: 'Check your connection and try again.',
};

/** The problem to show for anything a query or mutation threw. */
export function problemOf(error: unknown): Problem | null {
  if (!error) return null;
  if (error instanceof ApiError) return error.problem;
  return { title: 'Something went wrong', detail: error instanceof Error ? error.message : undefined };
}
