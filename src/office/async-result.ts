import { OfficeCallError } from "./errors";

// Office.js reports every async call through one callback shape ({status, value, error}). This is the
// only place that turns it into a promise, so the rest of the adapters read as plain async code.

export function asyncResultToPromise<T>(
  call: string,
  invoke: (callback: (result: Office.AsyncResult<T>) => void) => void
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      invoke((result) => {
        // Compared by value ("failed"): the real enum and test doubles agree on the string, not on the type.
        if (result && String(result.status) === "failed")
          reject(new OfficeCallError(call, result.error));
        else resolve(result?.value);
      });
    } catch (error) {
      // Some hosts throw synchronously for an unsupported argument instead of calling back.
      reject(
        new OfficeCallError(call, {
          name: error instanceof Error ? error.name : "Error",
          message: String(error),
        })
      );
    }
  });
}
