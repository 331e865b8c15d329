/**
 * Default ports for adapters whose capability gives none. Derived from the namespace, so that they are
 * the same on every machine and build, and two projects on one machine rarely meet: FNV-1a (32 bits)
 * of the namespace, folded into 20000–29999, below the ephemeral ports Linux and macOS hand out
 * (32768 and up) and above the common fixed ones (8080, 9090, 3000, 5432, ...).
 */
export const DERIVED_PORT_BASE = 20_000;
export const DERIVED_PORT_RANGE = 10_000;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function derivedPort(namespace: string): number {
  return DERIVED_PORT_BASE + (fnv1a(namespace) % DERIVED_PORT_RANGE);
}

/**
 * The port of every adapter, in order: the declared one, or one derived from its namespace that no other
 * adapter of the capability uses (the next free one in the range, when two namespaces meet).
 */
export function adapterPorts(adapters: ReadonlyArray<{ namespace: string; port?: number | undefined }>): number[] {
  const taken = new Set(adapters.flatMap((a) => (a.port === undefined ? [] : [a.port])));
  return adapters.map((a) => {
    if (a.port !== undefined) return a.port;
    let port = derivedPort(a.namespace);
    while (taken.has(port)) port = DERIVED_PORT_BASE + ((port - DERIVED_PORT_BASE + 1) % DERIVED_PORT_RANGE);
    taken.add(port);
    return port;
  });
}
