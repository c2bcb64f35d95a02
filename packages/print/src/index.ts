export { renderPdf } from './pdf/pdf-engine.ts';
export { FONT_FAMILY } from './pdf/fonts.ts';
