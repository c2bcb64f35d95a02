export { renderPdf } from './pdf/pdf-engine.ts';
export { FONT_FAMILY } from './pdf/fonts.ts';
export { amountInWords, MAX_AMOUNT_IN_WORDS } from './capital/amount-in-words.ts';
export { renderDocumentPdf, type PrintCtx, type PrintedDocument } from './render/render-document.ts';
export { ZPrintTemplateBody, type TPrintTemplateBody, type TPrintTemplateInput } from './template/template.schema.ts';
export { genericTemplate } from './template/generic-template.ts';
export { listPrintTemplates, getPrintTemplateOrThrow, createPrintTemplate, updatePrintTemplate, deletePrintTemplate, type PrintTemplate } from './template/templates.service.ts';
export { printModule } from './module.ts';
