// Outlook hosts the pane in an iframe, so the Tab that brings focus into it is pressed in Outlook's
// frame: the browser knows the focus came by keyboard (:focus-visible matches) but Fluent's
// keyboard tracker (keyborg) saw no key and draws no focus ring. This marks such an element the way
// Fluent does, until it loses focus; from the next key on, Fluent's own tracking takes over.
const FOCUS_VISIBLE_ATTR = "data-fui-focus-visible";

export function ringFocusArrivingByKeyboard(doc: Document) {
  doc.addEventListener("focusin", (event) => {
    const el = event.target as HTMLElement | null;
    if (!el?.matches?.(":focus-visible") || el.hasAttribute(FOCUS_VISIBLE_ATTR)) return;
    el.setAttribute(FOCUS_VISIBLE_ATTR, "");
    el.addEventListener("blur", () => el.removeAttribute(FOCUS_VISIBLE_ATTR), { once: true });
  });
}
