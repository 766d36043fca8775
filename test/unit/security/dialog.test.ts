// The sign-in dialog's two ends. The pane (acquireTokenViaOfficeDialog) accepts a token only in a message
// that echoes the nonce it put in the dialog's URL and, where the host reports senders (DialogOrigin 1.1),
// only from the dialog page's own origin; a token's claimed expiry must be a finite time and is believed for
// at most two hours. The page (readDialogRequest) runs only inside Office's dialog, with a nonce, and only
// for the add-in's own scopes.
import { acquireTokenViaOfficeDialog } from "../../../src/auth/dialog-fallback";
import {
  DIALOG_MESSAGE_TYPE,
  MAX_DIALOG_TOKEN_LIFETIME_MS,
} from "../../../src/auth/dialog/protocol";
import { allowedScopes, readDialogRequest } from "../../../src/auth/dialog/request";

const DIALOG_URL = "https://addin.contoso.test/dialog.html";
const OUR_ORIGIN = "https://addin.contoso.test";

interface Sent {
  /** What arrives at the pane's DialogMessageReceived handler. */
  arg: { message: string; origin?: string };
}

/**
 * Office whose dialog, once open, delivers `script(nonce)` in order and then — so a refused message
 * shows as "the next one won" rather than a hang — nothing more. `dialogOrigin` says whether the host
 * has DialogOrigin 1.1.
 */
function officeDelivering(dialogOrigin: boolean, script: (nonce: string | null) => Sent[]) {
  const opened: URL[] = [];
  let closed = 0;
  const office = {
    EventType: {
      DialogMessageReceived: "dialogMessageReceived",
      DialogEventReceived: "dialogEventReceived",
    },
    context: {
      requirements: {
        isSetSupported: (name: string) => (name === "DialogOrigin" ? dialogOrigin : true),
      },
      ui: {
        displayDialogAsync(url: string, _opts: unknown, callback: (r: unknown) => void) {
          const parsed = new URL(url);
          opened.push(parsed);
          const handlers: Record<string, (arg: unknown) => void> = {};
          callback({
            status: "succeeded",
            value: {
              addEventHandler: (type: string, handler: (arg: unknown) => void) =>
                (handlers[type] = handler),
              close: () => void closed++,
            },
          });
          setTimeout(() => {
            for (const { arg } of script(parsed.searchParams.get("nonce")))
              handlers.dialogMessageReceived(arg);
          }, 0);
        },
      },
    },
  };
  return { office: office as unknown as typeof Office, opened, closed: () => closed };
}

const tokenMessage = (nonce: string | null | undefined, accessToken: string, expiresOn: unknown) =>
  JSON.stringify({
    type: DIALOG_MESSAGE_TYPE,
    ...(nonce === undefined ? {} : { nonce }),
    ok: true,
    accessToken,
    expiresOn,
  });

const inAnHour = () => Date.now() + 3_600_000;
const request = { dialogUrl: DIALOG_URL, scopes: ["Mail.ReadWrite"] };

describe("the pane accepts a dialog message", () => {
  test("with the nonce it put in the dialog URL: 128 random bits, new for every dialog", async () => {
    const { office, opened } = officeDelivering(true, (nonce) => [
      { arg: { message: tokenMessage(nonce, "good", inAnHour()), origin: OUR_ORIGIN } },
    ]);
    await acquireTokenViaOfficeDialog(office, request);
    await acquireTokenViaOfficeDialog(office, request);
    const [first, second] = opened.map((url) => url.searchParams.get("nonce"));
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).toMatch(/^[0-9a-f]{32}$/);
    expect(first).not.toBe(second);
  });

  test.each([
    ["without a nonce", () => undefined],
    ["with another nonce", () => "0".repeat(32)],
    ["with a nonce that is not one", () => "guess"],
  ])("%s: refused (the next, correct message is the one taken)", async (_what, forged) => {
    const { office } = officeDelivering(true, (nonce) => [
      { arg: { message: tokenMessage(forged(), "forged", inAnHour()), origin: OUR_ORIGIN } },
      { arg: { message: tokenMessage(nonce, "good", inAnHour()), origin: OUR_ORIGIN } },
    ]);
    await expect(acquireTokenViaOfficeDialog(office, request)).resolves.toMatchObject({
      accessToken: "good",
    });
  });

  test.each([
    ["no origin", undefined],
    ["an empty origin", ""],
    ["another origin", "https://evil.example"],
    ["our host on another port", "https://addin.contoso.test:8443"],
  ])(
    "where DialogOrigin 1.1 is supported, one from %s is refused even with the nonce",
    async (_what, origin) => {
      const { office } = officeDelivering(true, (nonce) => [
        { arg: { message: tokenMessage(nonce, "forged", inAnHour()), origin } },
        { arg: { message: tokenMessage(nonce, "good", inAnHour()), origin: OUR_ORIGIN } },
      ]);
      await expect(acquireTokenViaOfficeDialog(office, request)).resolves.toMatchObject({
        accessToken: "good",
      });
    }
  );

  test("where DialogOrigin 1.1 is not supported, no origin is expected, but a foreign one is refused", async () => {
    const { office } = officeDelivering(false, (nonce) => [
      {
        arg: { message: tokenMessage(nonce, "forged", inAnHour()), origin: "https://evil.example" },
      },
      { arg: { message: tokenMessage(nonce, "good", inAnHour()) } },
    ]);
    await expect(acquireTokenViaOfficeDialog(office, request)).resolves.toMatchObject({
      accessToken: "good",
    });
  });

  test.each([
    ["never", "never"],
    ["a string date", new Date(inAnHour()).toISOString()],
    ["null", null],
    ["missing", undefined],
    ["infinite (1e999 in JSON)", "INFINITY"],
  ])("whose expiresOn is %s: refused", async (_what, expiresOn) => {
    const { office } = officeDelivering(true, (nonce) => [
      {
        arg: {
          message: tokenMessage(nonce, "forged", expiresOn).replace('"INFINITY"', "1e999"),
          origin: OUR_ORIGIN,
        },
      },
      { arg: { message: tokenMessage(nonce, "good", inAnHour()), origin: OUR_ORIGIN } },
    ]);
    await expect(acquireTokenViaOfficeDialog(office, request)).resolves.toMatchObject({
      accessToken: "good",
    });
  });

  test("whose expiresOn is far ahead: believed for at most two hours", async () => {
    const { office } = officeDelivering(true, (nonce) => [
      { arg: { message: tokenMessage(nonce, "good", 8.64e15), origin: OUR_ORIGIN } },
    ]);
    const before = Date.now();
    const token = await acquireTokenViaOfficeDialog(office, request);
    const after = Date.now();
    // Clamped to the clock at acceptance plus the maximum: inside [before, after] + the maximum.
    const acceptedAt = token.expiresOn - MAX_DIALOG_TOKEN_LIFETIME_MS;
    expect(acceptedAt).toBeGreaterThanOrEqual(before);
    expect(after - acceptedAt).toBeGreaterThanOrEqual(0);
  });

  test("whose expiresOn is an ordinary hour: kept as it is", async () => {
    const expiresOn = inAnHour();
    const { office } = officeDelivering(true, (nonce) => [
      { arg: { message: tokenMessage(nonce, "good", expiresOn), origin: OUR_ORIGIN } },
    ]);
    await expect(acquireTokenViaOfficeDialog(office, request)).resolves.toEqual({
      accessToken: "good",
      expiresOn,
    });
  });

  test("an error report needs the nonce too", async () => {
    const error = (nonce: string | null | undefined, errorCode: string) =>
      JSON.stringify({
        type: DIALOG_MESSAGE_TYPE,
        ...(nonce === undefined ? {} : { nonce }),
        ok: false,
        errorCode,
        errorMessage: "x",
      });
    const { office } = officeDelivering(true, (nonce) => [
      { arg: { message: error(undefined, "user_cancelled"), origin: OUR_ORIGIN } },
      { arg: { message: error(nonce, "consent_required"), origin: OUR_ORIGIN } },
    ]);
    await expect(acquireTokenViaOfficeDialog(office, request)).rejects.toMatchObject({
      name: "AuthError",
      code: "dialog-failed",
      detail: "consent_required",
    });
  });
});

describe("the dialog page", () => {
  const ui = { messageParent: () => undefined };
  const nonce = "0123456789abcdef0123456789abcdef";

  test("refuses to run when Office did not open it (no messageParent)", () => {
    const search = `?nonce=${nonce}&scopes=Mail.ReadWrite`;
    expect(readDialogRequest(search, undefined)).toEqual({
      ok: false,
      reason: "not-in-office-dialog",
    });
    expect(readDialogRequest(search, {})).toEqual({ ok: false, reason: "not-in-office-dialog" });
  });

  test("refuses to run without the pane's nonce", () => {
    expect(readDialogRequest("?scopes=Mail.ReadWrite", ui)).toEqual({
      ok: false,
      reason: "no-nonce",
    });
    expect(readDialogRequest("?nonce=abc&scopes=Mail.ReadWrite", ui)).toEqual({
      ok: false,
      reason: "no-nonce",
    });
  });

  test("asks only for the add-in's own scopes, whatever its URL requests", () => {
    const search = `?nonce=${nonce}&scopes=${encodeURIComponent(
      "Mail.ReadWrite Files.ReadWrite.All Directory.ReadWrite.All mail.readwrite.shared offline_access"
    )}&claims=c`;
    expect(readDialogRequest(search, ui)).toEqual({
      ok: true,
      nonce,
      scopes: ["Mail.ReadWrite", "Mail.ReadWrite.Shared"],
      claims: "c",
    });
  });

  test("with no scope of ours requested, asks for the default set, not for nothing or for what was asked", () => {
    expect(allowedScopes("User.ReadWrite.All Sites.FullControl.All")).toEqual([
      "Mail.ReadWrite",
      "Calendars.ReadWrite",
    ]);
    expect(allowedScopes(null)).toEqual(["Mail.ReadWrite", "Calendars.ReadWrite"]);
  });
});
