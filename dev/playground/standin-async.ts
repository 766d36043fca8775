// How the Office.js stand-in answers an async call, in one place: later (never inside the call, as Office does),
// through the `{status, value, error, asyncContext}` callback shape, handing back `options.asyncContext`.

export type Callback<T> = (result: {
  status: "succeeded" | "failed";
  value: T;
  error?: { code: number; name: string; message: string };
  asyncContext?: unknown;
}) => void;

export function succeed<T>(callback: Callback<T> | undefined, value: T, asyncContext?: unknown) {
  setTimeout(() => callback?.({ status: "succeeded", value, asyncContext }), 0);
}

export function fail<T>(
  callback: Callback<T> | undefined,
  code: number,
  name: string,
  message: string,
  asyncContext?: unknown
) {
  setTimeout(
    () =>
      callback?.({
        status: "failed",
        value: undefined as T,
        error: { code, name, message },
        asyncContext,
      }),
    0
  );
}

/** Office's overloads put the callback last, after optional options. */
export function lastCallback<T>(args: unknown[]): Callback<T> | undefined {
  const last = args[args.length - 1];
  return typeof last === "function" ? (last as Callback<T>) : undefined;
}

/** The options object of an Office overload `(…, options?, callback?)`, if one was passed. */
export function optionsOf(args: unknown[]): { coercionType?: unknown; asyncContext?: unknown } {
  const candidate = args.find((a) => typeof a === "object" && a !== null);
  return (candidate ?? {}) as { coercionType?: unknown; asyncContext?: unknown };
}
