/**
 * A request about a run's results that cannot be answered: a bad argument (`bad-input`) or a
 * folder or file that is not there (`not-found`). `details` names the field or file and the fix,
 * and reaches the UI as the API error's details.
 */
export class ResultsError extends Error {
  constructor(
    readonly kind: 'bad-input' | 'not-found',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ResultsError';
  }
}
