// PLACEHOLDER for the Send guard (issue #16), so both manifests' event runtime exists at the URLs they name:
// it lets every send through. The office helper's send-guard entry replaces this file and
// webpack.config.js's SEND_GUARD. Both handlers must be associated: with SoftBlock, an event whose handler
// is missing blocks the send (Microsoft's Smart Alerts walkthrough).
function allowSend(event: Office.MailboxEvent): void {
  event.completed({ allowEvent: true });
}

Office.actions.associate("onMessageSendHandler", allowSend);
Office.actions.associate("onAppointmentSendHandler", allowSend);
