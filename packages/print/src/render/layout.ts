import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { applyFilters } from '../template/filters.ts';
import { fillText, parseTemplateText } from '../template/placeholders.ts';
import type { TPrintTemplateBody } from '../template/template.schema.ts';

/** What a placeholder path prints as in one place (the document, or one row of its table), before filters. */
export interface PrintScope {
  value(path: string[]): string;
  /** The document's currency code, which `|capital` names (美元壹佰元整); null or absent: the yuan's words, no name. */
  currency?: string | null;
}

/** The company block at the top of the page. */
export interface Letterhead {
  name: string;
  lines: string[]; // address, phone, tax id — whatever the company has
  logo?: string; // data: URL of a PNG or JPEG
}

/** A template text with its placeholders filled: never markup, only text. */
export function fill(text: string, scope: PrintScope): string {
  return fillText(parseTemplateText(text), (p) => applyFilters(scope.value(p.path), p.filters, scope.currency));
}

/**
 * A template body and its data → a pdfmake document. Pure: everything the
 * template may show was resolved, through the access guard, into the scopes.
 */
export function layoutDocument(body: TPrintTemplateBody, doc: PrintScope, rows: PrintScope[], letterhead: Letterhead | null): TDocumentDefinitions {
  const content: Content[] = [];
  if (body.letterhead && letterhead) content.push(letterheadBlock(letterhead, contentWidth(body.pageSize, body.orientation)));
  content.push({ text: fill(body.title, doc), style: 'title' });
  if (body.subtitle) content.push({ text: fill(body.subtitle, doc), style: 'subtitle' });
  if (body.header.length) content.push(pairsGrid(body.header.map((f) => [f.label, fill(f.value, doc)]), body.headerColumns));
  if (body.table) {
    const columns = body.table.columns;
    content.push(dataTable(
      columns.map((c) => ({ label: c.label, width: c.width ?? 'auto', align: c.align ?? 'left' })),
      rows.map((row) => columns.map((c) => fill(c.value, row))),
    ));
  }
  if (body.totals.length) content.push(totalsBlock(body.totals.map((t) => [t.label, fill(t.value, doc)])));
  for (const line of body.footer) content.push({ text: fill(line, doc), margin: [0, 4, 0, 0] });
  if (body.signatures.length) content.push(signaturesBlock(body.signatures));
  return pageOf(content, body.pageSize, body.orientation);
}

export function pageOf(content: Content[], pageSize: string, orientation: 'portrait' | 'landscape'): TDocumentDefinitions {
  return {
    pageSize: pageSize as 'A4',
    pageOrientation: orientation,
    pageMargins: [40, 40, 40, 50],
    content,
    // 第 1 页 / 共 2 页
    footer: (page: number, pages: number) => ({ text: `第 ${page} 页 / 共 ${pages} 页`, alignment: 'center', fontSize: 8, color: '#666666', margin: [0, 20, 0, 0] }),
    styles: {
      title: { fontSize: 18, bold: true, alignment: 'center', margin: [0, 6, 0, 4] },
      subtitle: { fontSize: 11, alignment: 'center', margin: [0, 0, 0, 6] },
      company: { fontSize: 14, bold: true },
      th: { bold: true, fillColor: '#eeeeee' },
      muted: { fontSize: 9, color: '#444444' },
    },
  };
}

const PAGE_WIDTHS: Record<string, [number, number]> = { A4: [595.28, 841.89], A5: [419.53, 595.28], LETTER: [612, 792] };
const SIDE_MARGINS = 80;

/** The width between the margins, for rules drawn across the page. */
export function contentWidth(pageSize: string, orientation: 'portrait' | 'landscape'): number {
  const [w, h] = PAGE_WIDTHS[pageSize] ?? PAGE_WIDTHS.A4;
  return (orientation === 'landscape' ? h : w) - SIDE_MARGINS;
}

export function letterheadBlock(l: Letterhead, width: number): Content {
  const text: Content = { stack: [{ text: l.name, style: 'company' }, ...l.lines.map((line) => ({ text: line, style: 'muted' }))] };
  return {
    stack: [
      l.logo ? { columns: [{ image: l.logo, fit: [64, 64], width: 72 }, { ...text, width: '*' }], columnGap: 8 } : text,
      { canvas: [{ type: 'line', x1: 0, y1: 4, x2: width, y2: 4, lineWidth: 0.8 }], margin: [0, 2, 0, 6] },
    ],
  };
}

/** Label：value pairs, `perRow` to a row, no borders. */
function pairsGrid(pairs: [string, string][], perRow: number): Content {
  const body: TableCell[][] = [];
  for (let i = 0; i < pairs.length; i += perRow) {
    const row: TableCell[] = pairs.slice(i, i + perRow).map(([label, value]) => ({ text: [{ text: `${label}：`, bold: true }, value] }));
    while (row.length < perRow) row.push({ text: '' });
    body.push(row);
  }
  return { table: { widths: Array(perRow).fill('*'), body }, layout: 'noBorders', margin: [0, 4, 0, 8] };
}

export interface TableColumn {
  label: string;
  width: number | '*' | 'auto';
  align: 'left' | 'center' | 'right';
}

/** A bordered table whose header row repeats on every page. */
export function dataTable(columns: TableColumn[], rows: string[][]): Content {
  const header: TableCell[] = columns.map((c) => ({ text: c.label, style: 'th', alignment: 'center' }));
  const body: TableCell[][] = rows.map((cells) => cells.map((text, i) => ({ text, alignment: columns[i].align })));
  return { table: { headerRows: 1, widths: columns.map((c) => c.width), body: [header, ...body] }, fontSize: 9, margin: [0, 0, 0, 8] };
}

export function totalsBlock(pairs: [string, string][]): Content {
  return {
    table: { widths: ['*', 'auto', 'auto'], body: pairs.map(([label, value]) => [{ text: '' }, { text: `${label}：`, bold: true, alignment: 'right' }, { text: value, alignment: 'right' }]) },
    layout: 'noBorders',
    margin: [0, 0, 0, 8],
  };
}

function signaturesBlock(names: string[]): Content {
  return { columns: names.map((n) => ({ text: `${n}：________________`, width: '*' })), margin: [0, 24, 0, 0] };
}
