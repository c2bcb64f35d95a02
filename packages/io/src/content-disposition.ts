/**
 * `attachment; filename="customer.xlsx"; filename*=UTF-8''%E5%AE%A2%E6%88%B7.xlsx`
 * RFC 6266 with an RFC 5987 `filename*` for the Chinese name; the plain
 * `filename` is an ASCII fallback for old clients.
 */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
