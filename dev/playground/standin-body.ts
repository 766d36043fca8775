// The stand-in's `item.body` (Office.Body) and `item.getSelectedDataAsync`, as Outlook documents them and no
// kinder: every answer is async and carries `asyncContext`; data defaults to text when no coercionType is given
// (HTML markup then shows as text); HTML into a plain-text body is InvalidFormatError; more than 1,000,000
// characters is DataExceedsMaximumSize; setSelectedDataAsync replaces a selection and, where the client lost the
// cursor, inserts at the top. There is no `appendAsync`: Office.Body has none (only appendOnSendAsync, which
// needs the AppendOnSend permission). Sources: Office.Body (@types/office-js, learn.microsoft.com
// javascript/api/outlook/office.body), insert-data-in-the-body.md, office-js #6919 (Mac: always the top).
import type { BodyFormat, ComposeBody } from "./compose-body";
import { fail, lastCallback, optionsOf, succeed, type Callback } from "./standin-async";
import type { CursorMode } from "./office-standin";

const MAX_DATA_CHARS = 1_000_000;

function formatOf(value: unknown, fallback: BodyFormat | null): BodyFormat | null {
  if (value === undefined || value === null) return fallback;
  const text = String(value).toLowerCase();
  return text === "html" || text === "text" ? text : null;
}

type Write = "setSelectedDataAsync" | "prependAsync";

const refuseCoercion = (callback: Callback<never> | undefined, asyncContext: unknown) =>
  fail(callback, 1000, "Invalid Coercion Type", "Unsupported coercion type.", asyncContext);

/** A `(coercionType, options?, callback?)` call: its callback, asyncContext and format (failed when unknown). */
function formatCall<T>(coercionType: unknown, rest: unknown[]) {
  const callback = lastCallback<T>(rest);
  const { asyncContext } = optionsOf(rest);
  const format = formatOf(coercionType, null);
  if (!format) refuseCoercion(callback as Callback<never> | undefined, asyncContext);
  return { callback, asyncContext, format };
}

export function createBodyApi(body: () => ComposeBody, cursor: () => CursorMode) {
  function write(method: Write, data: unknown, rest: unknown[]) {
    const callback = lastCallback<undefined>(rest);
    const { coercionType, asyncContext } = optionsOf(rest);
    const format = formatOf(coercionType, "text"); // the docs: no coercionType means text
    const target = body();
    if (typeof data !== "string")
      return fail(callback, 2000, "Data Write Error", "The data must be a string.", asyncContext);
    if (!format) return refuseCoercion(callback, asyncContext);
    if (data.length > MAX_DATA_CHARS)
      return fail(
        callback,
        2009,
        "DataExceedsMaximumSize",
        "The data is longer than 1,000,000 characters.",
        asyncContext
      );
    if (format === "html" && target.type() === "text")
      return fail(
        callback,
        2006,
        "InvalidFormatError",
        "HTML cannot be inserted into a plain-text body.",
        asyncContext
      );
    if (method === "prependAsync") target.insert(data, format, "start", false);
    else target.insert(data, format, whereSelectedDataGoes(target, cursor()), true);
    succeed(callback, undefined, asyncContext);
  }

  return {
    getTypeAsync(...args: unknown[]) {
      succeed(lastCallback<BodyFormat>(args), body().type(), optionsOf(args).asyncContext);
    },
    getAsync(coercionType: unknown, ...rest: unknown[]) {
      const { callback, asyncContext, format } = formatCall<string>(coercionType, rest);
      if (format) succeed(callback, body().read(format), asyncContext);
    },
    setSelectedDataAsync(data: unknown, ...rest: unknown[]) {
      write("setSelectedDataAsync", data, rest);
    },
    prependAsync(data: unknown, ...rest: unknown[]) {
      write("prependAsync", data, rest);
    },
  };
}

/**
 * The docs: at the cursor, "or, if the cursor was never in the body of the item, or if the body of the item lost
 * focus in the UI, … at the top". "kept": the last caret counts even while the task pane has the focus.
 */
function whereSelectedDataGoes(target: ComposeBody, mode: CursorMode): "caret" | "start" {
  if (!target.hasCaret()) return "start";
  return mode === "kept" || target.focused() ? "caret" : "start";
}

/** item.getSelectedDataAsync (Mailbox 1.2): `{data, sourceProperty}` of what setSelectedDataAsync would replace. */
export function createSelectedDataApi(body: () => ComposeBody, cursor: () => CursorMode) {
  return (coercionType: unknown, rest: unknown[]) => {
    const { callback, asyncContext, format } = formatCall<{ data: string; sourceProperty: string }>(
      coercionType,
      rest
    );
    if (!format) return;
    const target = body();
    const replaced = whereSelectedDataGoes(target, cursor()) === "caret";
    succeed(
      callback,
      { data: replaced ? target.selectedText() : "", sourceProperty: "body" },
      asyncContext
    );
  };
}

/** The body when taskpane.html is opened on its own (no page around it): a string, inserted at the start. */
export function standaloneBody(format: BodyFormat): ComposeBody {
  let content = "";
  return {
    type: () => format,
    read: () => content,
    hasCaret: () => false,
    focused: () => false,
    selectedText: () => "",
    insert: (data) => void (content = data + content),
  };
}
