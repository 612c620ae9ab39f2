// Deeply nested JSON is harmless to JSON.parse but not to the recursive code that reads it afterwards (value
// conversion, the schema validator, compilation): a hostile document could exhaust the stack. This walk is
// iterative, so it is the one place that may look at any depth.

/** An object or array met on the walk; the way back to the root gives the path, built only when it is needed. */
interface Visit {
  value: object;
  depth: number;
  parent: Visit | null;
  key: string;
}

/** The JSON pointer of the first value nested more than `limit` levels below the root, or null when none is. */
export function tooDeepAt(root: unknown, limit: number): string | null {
  if (typeof root !== 'object' || root === null) return null;
  const stack: Visit[] = [{ value: root, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (visit.depth >= limit) return pointerOf(visit);
    const keys = Object.keys(visit.value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const x = (visit.value as Record<string, unknown>)[keys[i]!];
      if (typeof x === 'object' && x !== null) stack.push({ value: x, depth: visit.depth + 1, parent: visit, key: keys[i]! });
    }
  }
  return null;
}

function pointerOf(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v?.parent; v = v.parent) keys.push(v.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return keys.length === 0 ? '/' : `/${keys.reverse().join('/')}`;
}
