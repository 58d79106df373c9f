/**
 * The body of every error the API answers (docs/architecture.md "The HTTP surface"): the status again,
 * its name, and the message — one sentence, or one per invalid field when a request had several. Never a
 * stack trace or an internal detail.
 */
export interface ErrorBody {
  statusCode: number;
  /** The status's name: 'Bad Request', 'Not Found', 'Conflict'… */
  error: string;
  message: string | string[];
}
