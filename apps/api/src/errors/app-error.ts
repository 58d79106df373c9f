/**
 * Errors our services raise on purpose, each with a code. The code, not the class or the message,
 * decides the HTTP status, and that mapping lives in one place (GlobalExceptionFilter, docs/conventions.md
 * §3).
 */
export type AppErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'SIGN_IN_THROTTLED'
  | 'UNAUTHENTICATED'
  | 'TOTP_ENROLMENT_REQUIRED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_BUSY';

export class AppError extends Error {
  /** What the caller is told: one message, or one per problem (every invalid field at once). */
  readonly body: string | string[];

  constructor(
    readonly code: AppErrorCode,
    message: string | readonly string[],
    /** Seconds a throttled caller should wait, for the Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(typeof message === 'string' ? message : message.join('; '));
    this.name = 'AppError';
    this.body = typeof message === 'string' ? message : [...message];
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled error code: ${String(value)}`);
}

export function statusForAppError(code: AppErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'INVALID_CREDENTIALS':
    case 'UNAUTHENTICATED':
      return 401;
    case 'TOTP_ENROLMENT_REQUIRED':
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'SIGN_IN_THROTTLED':
    case 'TOO_MANY_REQUESTS':
      return 429;
    case 'SERVICE_BUSY':
      return 503;
    default:
      return assertUnreachable(code);
  }
}
