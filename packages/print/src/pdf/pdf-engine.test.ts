import { describe, expect, it } from 'vitest';
import { renderPdf } from './pdf-engine.ts';
import { pdfText } from '../print-test-kit.ts';

// The font is really embedded (a fresh machine has no system fonts): the PDF
// carries a TrueType font program subset to the glyphs used, and the Chinese
// text extracts back exactly, so it was written with a proper ToUnicode map.
describe('pdf engine', () => {
  it('embeds a subset of Noto Sans SC and the Chinese text extracts back', async () => {
    const pdf = await renderPdf({ content: [{ text: '销售发票 深圳市华强电子有限公司', bold: true }, '壹仟贰佰叁拾肆元伍角陆分 ABC 123'] });
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/); // an embedded TrueType program, not a reference to a system font
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/); // the subset tag pdfkit gives an embedded subset
    expect(pdf.length).toBeLessThan(60_000); // the whole font is ~10 MB per weight
    const text = await pdfText(pdf);
    expect(text).toContain('销售发票 深圳市华强电子有限公司');
    expect(text).toContain('壹仟贰佰叁拾肆元伍角陆分 ABC 123');
  });

  it('refuses to read local files or URLs named in a definition', async () => {
    await expect(renderPdf({ content: [{ image: '/etc/passwd' }] })).rejects.toThrow(/local file denied/);
    await expect(renderPdf({ images: { x: 'http://127.0.0.1:1/x.png' }, content: [{ image: 'x' }] })).rejects.toThrow(/URL denied/);
  });
});
