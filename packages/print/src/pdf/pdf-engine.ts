import { createRequire } from 'node:module';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { FONT_FAMILY, fontBytes } from './fonts.ts';

const require = createRequire(import.meta.url);

interface PdfMake {
  virtualfs: { writeFileSync(name: string, data: Buffer): void };
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
}

let engine: PdfMake | null = null;

/**
 * pdfmake, set up once per process: the fonts come from its in-memory file
 * system, and it may fetch no URL and read no local file — a template is user
 * data, so nothing in it can make the server read /etc/passwd or call out.
 * Images (the company logo) are passed as data: URLs.
 */
function pdfmake(): PdfMake {
  if (engine) return engine;
  const pm = require('pdfmake') as PdfMake;
  const bytes = fontBytes();
  pm.virtualfs.writeFileSync('mosaic-cjk-regular.ttf', bytes.normal);
  pm.virtualfs.writeFileSync('mosaic-cjk-bold.ttf', bytes.bold);
  pm.setFonts({
    [FONT_FAMILY]: { normal: 'mosaic-cjk-regular.ttf', bold: 'mosaic-cjk-bold.ttf', italics: 'mosaic-cjk-regular.ttf', bolditalics: 'mosaic-cjk-bold.ttf' },
  });
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy(() => false);
  engine = pm;
  return pm;
}

/** Renders a pdfmake document definition to PDF bytes, in the CJK font unless the definition says otherwise. */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const withFont: TDocumentDefinitions = { ...doc, defaultStyle: { font: FONT_FAMILY, fontSize: 10, ...doc.defaultStyle } };
  return pdfmake().createPdf(withFont).getBuffer();
}
