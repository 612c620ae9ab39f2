// The DMN 1.4/1.5 boxed conditional, filter, for, some and every (DMN 1.5 7.3.x), which dmn-moddle (DMN 1.3) does not
// read: taken from the decision's XML text and written as the FEEL they box (`if c then a else b`, `l[m]`,
// `for v in l return r`, `some v in l satisfies s`, `every …`), so they evaluate exactly as FEEL does. Their parts
// must be literal expressions or such boxes again; anything else is not read (undefined).
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, textNodeName: '#text', parseTagValue: false, trimValues: false });

type Node = Record<string, unknown>;

const BOXES = ['conditional', 'filter', 'for', 'some', 'every'] as const;

/** The XML of a decision element, by id, from the model's text. */
function decisionXml(xml: string, decisionId: string): string | undefined {
  const escaped = decisionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = new RegExp(`<((?:[\\w-]+:)?decision)\\b[^>]*\\bid=["']${escaped}["'][^>]*>`).exec(xml);
  if (!start) return undefined;
  const end = xml.indexOf(`</${start[1]}>`, start.index);
  return end < 0 ? undefined : xml.slice(start.index, end + start[1]!.length + 3);
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const t = (v as Node)['#text'];
    if (typeof t === 'string') return t;
  }
  return undefined;
}

/** The FEEL of one part (`<in>`, `<then>`…): its literal expression, or a nested box. */
function partFeel(part: unknown): string | undefined {
  if (!part || typeof part !== 'object') return undefined;
  const node = part as Node;
  const lit = node.literalExpression as Node | undefined;
  if (lit) {
    const text = textOf(lit.text)?.trim();
    return text ? `(${text})` : undefined;
  }
  for (const box of BOXES) if (node[box]) return boxFeel(box, node[box] as Node);
  return undefined;
}

function boxFeel(kind: (typeof BOXES)[number], node: Node): string | undefined {
  const v = typeof node['@iteratorVariable'] === 'string' ? (node['@iteratorVariable'] as string) : undefined;
  const [a, b, c] = (
    {
      conditional: ['if', 'then', 'else'],
      filter: ['in', 'match'],
      for: ['in', 'return'],
      some: ['in', 'satisfies'],
      every: ['in', 'satisfies'],
    } as const
  )[kind].map((k) => partFeel(node[k]));
  if (a === undefined || b === undefined) return undefined;
  // A box's condition, match or test that is neither a boolean nor null makes the box null, as the TCK expects
  // (1150 003, 1151 004/005, 1154 006) where the bare FEEL would take the else branch, drop the item or count it
  // false. The FEEL below says so by testing the part first (parts are pure: evaluating one twice changes nothing).
  const notBoolean = (x: string) => `((${x} instance of boolean or ${x} = null) = false)`;
  switch (kind) {
    case 'conditional':
      return c === undefined ? undefined : `(if ${notBoolean(a)} then null else if ${a} then ${b} else ${c})`;
    case 'filter':
      // The match sees each item as `item` (and a context item's entries), as in the FEEL filter it boxes.
      return `(if count(${a}[${notBoolean(b)}]) > 0 then null else ${a}[${b}])`;
    case 'for':
      return v ? `(for ${v} in ${a} return ${b})` : undefined;
    case 'some':
    case 'every':
      return v ? `(if (some ${v} in ${a} satisfies ${notBoolean(b)}) then null else (${kind} ${v} in ${a} satisfies ${b}))` : undefined;
  }
}

/** The FEEL a decision's DMN 1.4 box stands for, or undefined when its logic is not one Beslis reads this way. */
export function boxed14Feel(xml: string, decisionId: string): string | undefined {
  const text = decisionXml(xml, decisionId);
  if (!text) return undefined;
  let parsed: Node;
  try {
    parsed = parser.parse(text) as Node;
  } catch {
    return undefined;
  }
  const decision = parsed.decision as Node | undefined;
  if (!decision) return undefined;
  for (const box of BOXES) if (decision[box]) return boxFeel(box, decision[box] as Node);
  return undefined;
}
