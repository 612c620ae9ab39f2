// Minimal typings for the two bpmn.io packages that have none of their own.
declare module 'dmn-moddle' {
  /** A moddle model element: `$type` names its DMN type (`dmn:Decision`); the rest are its properties. */
  export interface ModdleElement {
    readonly $type: string;
    $attrs?: Record<string, string>;
    $parent?: ModdleElement;
    [property: string]: unknown;
  }
  export interface ParseWarning {
    message: string;
    element?: unknown;
    property?: string;
    value?: unknown;
    error?: Error;
  }
  export interface ParseResult {
    rootElement: ModdleElement;
    references: unknown[];
    warnings: ParseWarning[];
    elementsById: Record<string, ModdleElement>;
  }
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
  }
}

declare module '@bpmn-io/dmn-migrate' {
  export const TARGET_DMN_VERSION: string;
  export function migrateDiagram(xml: string): Promise<string>;
}
