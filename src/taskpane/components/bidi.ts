// File names are text from elsewhere: a right-to-left override (U+202E) in "invoice<U+202E>fdp.exe" makes it
// read "invoiceexe.pdf". Names are shown isolated from the text around them (<bdi> in rows; FSI…PDI in
// sentences, which closes any embedding or override the name opens), and a name carrying an embedding,
// override or isolate control (U+202A–202E, U+2066–2069) gets a visible warning in its row.

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

export function hasBidiControls(name: string): boolean {
  return BIDI_CONTROLS.test(name);
}

/** The name as a first-strong isolate, for names inside a sentence (notices, offers). */
export function isolate(name: string): string {
  return `\u2068${name}\u2069`;
}
