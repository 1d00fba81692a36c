/**
 * A message that can never succeed (not JSON, not an envelope). Queue triggers throw it instead
 * of a plain Error so the runtime can tell "retry later" from "set aside":
 * - the local host dead-letters it at once with `deadLetterReason` / `deadLetterDescription`;
 * - on Azure the Functions host abandons it like any failure, and Service Bus moves it to the
 *   dead-letter queue after the queue's `maxDeliveryCount` (bounded, set in infra), where the
 *   function's log line carries the reason. It never blocks the queue: other messages flow meanwhile.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
  readonly poison = true;
  constructor(
    readonly deadLetterReason: string,
    readonly deadLetterDescription: string,
  ) {
    super(`${deadLetterReason}: ${deadLetterDescription}`);
  }
}

export function isPoisonMessageError(error: unknown): error is PoisonMessageError {
  return error instanceof Error && (error as { poison?: unknown }).poison === true;
}
