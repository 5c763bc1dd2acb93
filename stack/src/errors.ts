/** A failure the user can act on: one line naming the cause, and the fix. */
export class StackError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}
