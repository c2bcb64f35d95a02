/** A plain, dependency-free HTML rendering of the OpenAPI document: every path, method and object schema. */
export function renderDocsPage(doc: Record<string, any>): string {
  const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      rows.push(`<tr><td><code>${esc(method.toUpperCase())}</code></td><td><code>${esc(path)}</code></td><td>${esc(op.summary)}</td></tr>`);
    }
  }
  const schemas = Object.entries(doc.components.schemas as Record<string, any>)
    .filter(([name]) => name.startsWith('Record_'))
    .map(([name, s]) => {
      const fields = Object.entries(s.properties as Record<string, any>)
        .map(([f, p]) => `<tr><td><code>${esc(f)}</code>${(s.required as string[]).includes(f) ? ' *' : ''}</td><td>${esc(p.description)}</td><td>${esc(p.title)}</td></tr>`)
        .join('');
      return `<h3>${esc(s.title)} <code>${esc(name.slice(7))}</code></h3><table><tr><th>field</th><th>type</th><th>label</th></tr>${fields}</table>`;
    })
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Mosaic API</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}code{background:#f4f4f4;padding:0 3px}</style>
</head><body><h1>Mosaic API</h1><p>${esc(doc.info.description)} Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a>.
Errors: <code>{"error":{"code","message","field"}}</code>.</p><h2>Endpoints</h2><table>${rows.join('')}</table><h2>Objects</h2>${schemas || '<p>Log in to see the objects you may use.</p>'}</body></html>`;
}
