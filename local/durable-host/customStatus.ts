/**
 * Durable Functions' limit on an orchestration's custom status, measured as the extension
 * measures it (`DurableOrchestrationContext.SetCustomStatus` → `MessagePayloadDataConverter
 * .Serialize(value, 16)`): the serialized JSON's UTF-16 byte count, in whole KB rounded down,
 * must not exceed 16. So 17,407 bytes pass and 17,408 fail. A JS string's length counts UTF-16
 * code units, two bytes each.
 */
export const MAX_CUSTOM_STATUS_KB = 16;

/** The extension's error text when a status is too large, or undefined when it fits. */
export function customStatusTooLarge(serialized: string): string | undefined {
  const sizeKb = Math.floor((serialized.length * 2) / 1024);
  if (sizeKb <= MAX_CUSTOM_STATUS_KB) return undefined;
  const n = (v: number) => v.toLocaleString('en-US');
  return `The UTF-16 size of the JSON-serialized payload must not exceed ${n(MAX_CUSTOM_STATUS_KB)} KB. The current payload size is ${n(sizeKb)} KB.`;
}
