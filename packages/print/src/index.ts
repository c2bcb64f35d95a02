export { renderPdf } from './pdf/pdf-engine.ts';
export { FONT_FAMILY } from './pdf/fonts.ts';
export { amountInWords, MAX_AMOUNT_IN_WORDS } from './capital/amount-in-words.ts';
