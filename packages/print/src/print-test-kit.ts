/**
 * Text of a PDF, page by page, through pdf.js (unpdf's server build): what a
 * reader would copy out of the document. Used by tests and by anyone checking
 * what a print contains; a dev dependency, so import it only from tests.
 */
export async function pdfText(pdf: Uint8Array | Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: true });
  return text;
}
