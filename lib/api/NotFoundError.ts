/** A symbol the store knows nothing about: answered with 404 and the parameter. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
