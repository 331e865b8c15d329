/** JSON pointer helpers (RFC 6901). */
export type PathSegment = string | number;

// Both run for every finding and every note (thousands per batch): segments without `~` or `/`, nearly
// all of them, are taken as they are instead of going through two replacements each.
export function toPointer(path: readonly PathSegment[]): string {
  let out = '';
  for (const s of path) {
    const text = String(s);
    out += '/' + (text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text);
  }
  return out;
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  const segments = (pointer.startsWith('#') ? pointer.slice(1) : pointer).split('/').slice(1);
  return pointer.includes('~') ? segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : segments;
}

/** `capability.exposes[0].port`, the way a person reads a location in YAML. */
export function toDisplayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || 'the document root';
}
