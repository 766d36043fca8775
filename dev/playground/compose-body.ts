// The simulated compose window's body: an HTML editor (contenteditable) or a plain-text one (textarea), as
// Outlook's message body is HTML or plain text. The Office.js stand-in (office-standin.ts) decides what
// Office would do — coercion, errors, at the caret or at the top — and calls `insert` here. HTML that comes in
// (from the add-in, or a format switch) passes an allow-list first: file names are user data, and the body
// must show a link, never run a script. Text is inserted as text nodes.
import { escapeHtml } from "../../src/office/body";

export type BodyFormat = "html" | "text";

/** What the stand-in needs of the page's body. */
export interface ComposeBody {
  type(): BodyFormat;
  /** The body in the asked format: sanitised HTML, or its text. */
  read(format: BodyFormat): string;
  /** Whether the caret has ever been in the body (a position is remembered). */
  hasCaret(): boolean;
  /** Whether the body has the focus now (not the task pane, not another field). */
  focused(): boolean;
  /** The text selected in the body at the remembered caret ("" when collapsed). */
  selectedText(): string;
  /**
   * Inserts at the remembered caret (replacing a selection) or at the start. `caretAfter`: the caret moves to
   * the end of the inserted content (setSelectedDataAsync does; prependAsync keeps it where it was).
   */
  insert(data: string, format: BodyFormat, at: "caret" | "start", caretAfter: boolean): void;
}

const ALLOWED_TAGS = new Set([
  "A",
  "B",
  "STRONG",
  "I",
  "EM",
  "U",
  "BR",
  "P",
  "DIV",
  "SPAN",
  "UL",
  "OL",
  "LI",
  "BLOCKQUOTE",
]);
/** Dropped with everything inside them (not unwrapped into text). */
const DROPPED_TAGS = new Set([
  "SCRIPT",
  "STYLE",
  "IFRAME",
  "OBJECT",
  "EMBED",
  "TEMPLATE",
  "NOSCRIPT",
  "SVG",
  "MATH",
  "HEAD",
  "TITLE",
  "META",
  "LINK",
  "BASE",
  "FORM",
]);

/** An href we keep: http(s) and mailto only; javascript:, data: and the rest are dropped. */
function safeHref(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, "https://invalid.example/");
    return ["https:", "http:", "mailto:"].includes(url.protocol) && /^[a-z]+:/i.test(value.trim())
      ? url.href
      : null;
  } catch {
    return null;
  }
}

/**
 * HTML → a fragment of this document built from an allow-list: parsed by DOMParser (an inert document: no
 * script runs, nothing loads), then rebuilt element by element — allowed tags with no attributes but a safe
 * href, unknown tags unwrapped to their children, dangerous ones dropped whole.
 */
export function sanitizeHtml(doc: Document, html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const out = doc.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(doc.createTextNode(child.textContent ?? ""));
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
      const element = child as Element;
      const tag = element.tagName.toUpperCase();
      if (DROPPED_TAGS.has(tag)) continue;
      if (!ALLOWED_TAGS.has(tag)) {
        copy(element, to);
        continue;
      }
      const clean = doc.createElement(tag.toLowerCase());
      if (tag === "A") {
        const href = safeHref(element.getAttribute("href"));
        if (href) {
          clean.setAttribute("href", href);
          clean.setAttribute("target", "_blank");
          clean.setAttribute("rel", "noopener noreferrer");
        }
      }
      copy(element, clean);
      to.appendChild(clean);
    }
  };
  copy(parsed.body, out);
  return out;
}

/** Text → text nodes with a <br> per line break (what Outlook shows for text put into an HTML body). */
function textFragment(doc: Document, text: string): DocumentFragment {
  const out = doc.createDocumentFragment();
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (i > 0) out.appendChild(doc.createElement("br"));
    if (line) out.appendChild(doc.createTextNode(line));
  });
  return out;
}

export interface BodyElements {
  html: HTMLElement;
  text: HTMLTextAreaElement;
}

/** The page's body: `format()` says which editor is showing; `switchTo` converts the content like Outlook's Format tab. */
export function createComposeBody(elements: BodyElements, initial: BodyFormat) {
  const { html: editor, text: textarea } = elements;
  const doc = editor.ownerDocument;
  let format: BodyFormat = initial;
  let saved: Range | null = null; // the HTML editor's last caret, kept while focus is elsewhere
  let textTouched = false; // the textarea keeps its own selection; this says whether the user ever put it there

  doc.addEventListener("selectionchange", () => {
    const current = doc.getSelection();
    // office-addins/* take the DOM's Selection for a Word proxy object; it is read directly here.
    // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/load-object-before-read
    const range = current && current.rangeCount > 0 ? current.getRangeAt(0) : null;
    if (!range) return;
    if (editor.contains(range.commonAncestorContainer)) saved = range.cloneRange();
  });
  textarea.addEventListener("focus", () => (textTouched = true));

  const show = () => {
    editor.hidden = format !== "html";
    textarea.hidden = format !== "text";
  };
  show();

  const caretRange = (): Range | null =>
    saved && editor.contains(saved.commonAncestorContainer) ? saved : null;

  function insertHtml(fragment: DocumentFragment, at: "caret" | "start", caretAfter: boolean) {
    const last = fragment.lastChild;
    const range = at === "caret" ? caretRange() : null;
    if (range) {
      range.deleteContents();
      range.insertNode(fragment);
    } else editor.insertBefore(fragment, editor.firstChild);
    if (!caretAfter || !last) return;
    const after = doc.createRange();
    after.setStartAfter(last);
    after.collapse(true);
    saved = after;
    if (doc.activeElement === editor) {
      doc.getSelection()?.removeAllRanges();
      doc.getSelection()?.addRange(after);
    }
  }

  function insertText(data: string, at: "caret" | "start", caretAfter: boolean) {
    const [start, end] = at === "caret" ? [textarea.selectionStart, textarea.selectionEnd] : [0, 0];
    textarea.setRangeText(data, start, end, caretAfter ? "end" : "preserve");
    if (caretAfter) textTouched = true;
  }

  const body: ComposeBody & { switchTo(next: BodyFormat): void } = {
    type: () => format,
    read(as) {
      if (format === "html") return as === "html" ? editor.innerHTML : editor.innerText;
      return as === "text" ? textarea.value : escapeHtml(textarea.value).replace(/\n/g, "<br>");
    },
    hasCaret: () => (format === "html" ? caretRange() !== null : textTouched),
    focused: () => doc.activeElement === (format === "html" ? editor : textarea),
    selectedText() {
      if (format === "text")
        return textTouched
          ? textarea.value.slice(textarea.selectionStart, textarea.selectionEnd)
          : "";
      return caretRange()?.toString() ?? "";
    },
    insert(data, as, at, caretAfter) {
      if (format === "text") return insertText(data, at, caretAfter);
      const fragment = as === "html" ? sanitizeHtml(doc, data) : textFragment(doc, data);
      insertHtml(fragment, at, caretAfter);
    },
    switchTo(next) {
      if (next === format) return;
      if (next === "text") textarea.value = editor.innerText;
      else editor.replaceChildren(textFragment(doc, textarea.value));
      format = next;
      saved = null;
      textTouched = false;
      show();
    },
  };
  return body;
}
