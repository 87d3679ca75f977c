import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { SourcePosition } from '../errors/slipway-error.js';

/** Finds the source position of a key path in a parsed YAML document, falling back to the nearest ancestor that exists. */
export function locate(doc: Document, lines: LineCounter, file: string, path: readonly PropertyKey[], preferKey = false): SourcePosition {
  let node: Node | null = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      offset = (preferKey || !value?.range ? key?.range?.[0] : value.range[0]) ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const pos = lines.linePos(offset);
  return { file, line: pos.line, col: pos.col };
}
