import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * The CJK font every PDF embeds: Noto Sans SC (思源黑体's Google build, SIL OFL 1.1),
 * shipped as static TrueType files by the npm package @expo-google-fonts/noto-sans-sc,
 * so a fresh machine with only Node and npm prints Chinese (no system fonts).
 * The files are ~10 MB each; PDFs embed only the glyphs used (subset), see ADR 0007.
 */
export const FONT_FAMILY = 'NotoSansSC';

const require = createRequire(import.meta.url);
const FILES = { normal: '400Regular/NotoSansSC_400Regular.ttf', bold: '700Bold/NotoSansSC_700Bold.ttf' } as const;

export type FontStyle = keyof typeof FILES;

let cache: Record<FontStyle, Buffer> | null = null;

/** The font files' bytes, read once per process. */
export function fontBytes(): Record<FontStyle, Buffer> {
  if (cache) return cache;
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  cache = { normal: fs.readFileSync(path.join(dir, FILES.normal)), bold: fs.readFileSync(path.join(dir, FILES.bold)) };
  return cache;
}
