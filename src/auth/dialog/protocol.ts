// The one message the sign-in dialog page sends back to the task pane with Office.context.ui.messageParent.

export const DIALOG_MESSAGE_TYPE = "large-attach/auth-result";

export type DialogResultMessage =
  | { type: typeof DIALOG_MESSAGE_TYPE; ok: true; accessToken: string; expiresOn: number }
  | { type: typeof DIALOG_MESSAGE_TYPE; ok: false; errorCode: string; errorMessage: string };

export function parseDialogMessage(raw: string): DialogResultMessage | null {
  try {
    const message = JSON.parse(raw) as Partial<DialogResultMessage>;
    if (message?.type !== DIALOG_MESSAGE_TYPE || typeof message.ok !== "boolean") return null;
    if (message.ok && typeof (message as { accessToken?: unknown }).accessToken !== "string")
      return null;
    return message as DialogResultMessage;
  } catch {
    return null;
  }
}
