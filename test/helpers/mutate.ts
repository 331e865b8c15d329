/** Random small mutations of a document, shared by the schema equivalence tests. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Small mutations of a document: drop, retype or duplicate a value, or change a string. */
export function mutate(doc: Json, picks: number[]): Json {
  const copy = structuredClone(doc);
  const places: Array<{ parent: Record<string, Json> | Json[]; key: string | number }> = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        places.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        places.push({ parent: v, key: k });
        walk(x);
      }
    }
  };
  walk(copy);
  for (const pick of picks) {
    const place = places[pick % places.length];
    if (!place) continue;
    const { parent, key } = place;
    const current = (parent as Record<string | number, Json>)[key];
    switch (pick % 6) {
      case 0:
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key as string];
        break;
      case 1:
        (parent as Record<string | number, Json>)[key] = 42;
        break;
      case 2:
        (parent as Record<string | number, Json>)[key] = typeof current === 'string' ? `${current} x` : 'text';
        break;
      case 3:
        if (!Array.isArray(parent)) parent[`${String(key)}2`] = structuredClone(current ?? null);
        break;
      case 4:
        (parent as Record<string | number, Json>)[key] = typeof current === 'string' ? current.toUpperCase() : [];
        break;
      default:
        (parent as Record<string | number, Json>)[key] = typeof current === 'string' ? 'GET' : {};
    }
  }
  return copy;
}
