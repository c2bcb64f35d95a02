import fs from 'node:fs';

export type TextEncodingName = 'utf8' | 'gb18030';

/**
 * The encoding of a CSV: UTF-8 (with or without BOM) when every byte of the
 * file decodes as UTF-8, else GB18030 — what Excel on Chinese Windows saves as
 * "CSV" (GBK is a subset of it). The whole file is checked, streamed, because a
 * GBK file can be plain ASCII for its first thousand rows.
 */
export async function detectTextEncoding(file: string): Promise<TextEncodingName> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf8';
  } catch (e) {
    if (e instanceof TypeError) return 'gb18030';
    throw e;
  }
}

/** The field delimiter of a CSV, from its first line: comma, semicolon or tab, whichever occurs most (outside quotes). */
export function sniffDelimiter(firstLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}
