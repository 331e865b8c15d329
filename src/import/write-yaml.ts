/**
 * Prints an imported capability as YAML with the `yaml` package's Document API: keys in the order
 * they were built, a header comment, a blank line between sections and between list entries, and
 * every string quoted only when YAML needs it (the library decides). No line folding, so a
 * description stays on one line (or in a `|` block when it has line breaks). Same input, same bytes.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

function spaceBeforeKey(map: unknown, key: string): void {
  if (!isMap(map)) return;
  const pair = pairOf(map, key);
  if (pair && isScalar(pair.key)) pair.key.spaceBefore = true;
}

/** A blank line before every entry of the list at `map[key]` but the first. */
function spaceBetweenItems(map: unknown, key: string): void {
  if (!isMap(map)) return;
  const seq = pairOf(map, key)?.value;
  if (!isSeq(seq)) return;
  seq.items.forEach((item, i) => {
    if (i > 0) (item as Node).spaceBefore = true;
  });
}

export function capabilityYaml(value: Record<string, unknown>, header: string[]): string {
  const doc = new Document(value, { version: '1.2', aliasDuplicateObjects: false });
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  const root = doc.contents;
  for (const key of ['info', 'binds', 'capability']) spaceBeforeKey(root, key);
  const capability = isMap(root) ? pairOf(root, 'capability')?.value : undefined;
  spaceBeforeKey(capability, 'exposes');
  const lists = (name: string): unknown[] => {
    const seq = isMap(capability) ? pairOf(capability, name)?.value : undefined;
    return isSeq(seq) ? seq.items : [];
  };
  for (const consumed of lists('consumes')) spaceBetweenItems(consumed, 'resources');
  lists('exposes').forEach((adapter, i) => {
    if (i > 0) (adapter as Node).spaceBefore = true;
    spaceBetweenItems(adapter, 'resources');
    spaceBetweenItems(adapter, 'tools');
  });
  return doc.toString({ lineWidth: 0, indentSeq: true });
}
