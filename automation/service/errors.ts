// The service's errors as the HTTP layer answers them: a status, a message and, for bad input, the fields at fault.
/** An error the HTTP layer turns into a status and a JSON body. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
  readonly given?: unknown;
}

/** A 422 that names every field at fault. */
export function validation(message: string, fields: FieldError[]): ServiceError {
  return new ServiceError(422, message, { fields });
}
