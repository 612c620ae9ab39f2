// DMN boxed expressions (DMN 1.5 chapter 7: contexts, lists, relations, invocations, function definitions, and
// decision tables inside them) read from dmn-moddle elements into BoxedExpr, for the in-memory evaluation (./boxed.ts).
// What cannot be read is an error naming the element, so a decision that holds it is left out with the reason.
import type { ModdleElement } from 'dmn-moddle';
import { validateTable } from '../engine/index.ts';
import { convertTable, type DecisionInfo } from './import-table.ts';
import type { Types, TypeInfo } from './item-types.ts';
import { many, str, textOf } from './moddle-read.ts';
import type { BoxedExpr, ImportProblem } from './types.ts';

export class BoxedReadError extends Error {
  constructor(
    message: string,
    readonly elementId: string,
  ) {
    super(message);
  }
}

export interface BoxedReadContext {
  types: Types;
  model: { name: string; namespace: string };
  /** The decision or BKM the expression belongs to (its decision tables are converted as its tables). */
  owner: DecisionInfo;
  /** Names in scope where the expression starts, with their types (a table's input columns are typed from these). */
  scope: Map<string, TypeInfo>;
}

/** Reads one boxed expression element; throws BoxedReadError naming the element it cannot read. */
export function readBoxed(el: ModdleElement, ctx: BoxedReadContext): BoxedExpr {
  const id = str(el.id) ?? ctx.owner.id;
  const typed = (typeRef: unknown) => (str(typeRef) ? { type: ctx.types.feelType(typeRef) } : {});
  switch (el.$type) {
    case 'dmn:LiteralExpression':
      return { kind: 'literal', id, text: (textOf(el) ?? '').trim(), ...typed(el.typeRef) };
    case 'dmn:Context': {
      const scope = new Map(ctx.scope);
      const entries = many(el.contextEntry).map((entry) => {
        const variable = entry.variable as ModdleElement | undefined;
        const name = str(variable?.name) ?? null;
        const valueEl = entry.value as ModdleElement | undefined;
        if (!valueEl) throw new BoxedReadError(`context entry '${name ?? '(result)'}' has no value expression`, str(entry.id) ?? id);
        const value = readBoxed(valueEl, { ...ctx, scope });
        if (name !== null) scope.set(name, ctx.types.resolve(variable?.typeRef));
        return { id: str(entry.id) ?? id, name, ...typed(variable?.typeRef), value };
      });
      return { kind: 'context', id, ...typed(el.typeRef), entries };
    }
    case 'dmn:List':
      return { kind: 'list', id, ...typed(el.typeRef), items: many(el.elements).map((x) => readBoxed(x, ctx)) };
    case 'dmn:Relation':
      return {
        kind: 'relation',
        id,
        ...typed(el.typeRef),
        columns: many(el.column).map((c) => str(c.name) ?? ''),
        rows: many(el.row).map((row) => many(row.elements).map((x) => readBoxed(x, ctx))),
      };
    case 'dmn:Invocation': {
      const called = el.calledFunction as ModdleElement | undefined;
      const callee = called?.$type === 'dmn:LiteralExpression' ? (textOf(called) ?? '').trim() : '';
      if (!callee) throw new BoxedReadError('an invocation names no function (its calledFunction is not a name)', id);
      const bindings = many(el.binding).map((b) => {
        const value = b.bindingFormula as ModdleElement | undefined;
        return { name: str((b.parameter as ModdleElement | undefined)?.name) ?? '', value: value ? readBoxed(value, ctx) : null };
      });
      return { kind: 'invocation', id, ...typed(el.typeRef), callee, bindings };
    }
    case 'dmn:FunctionDefinition': {
      const kind = str(el.kind) ?? 'FEEL';
      // Kind Java is emulated for the methods server/engine/java-emulation.ts lists; PMML is not run.
      if (kind !== 'FEEL' && kind !== 'Java') throw new BoxedReadError(`a function definition of kind ${kind}: Beslis runs FEEL functions and emulates some Java methods only`, id);
      const params = many(el.formalParameter).map((p) => ({ name: str(p.name) ?? '', type: ctx.types.feelType(p.typeRef), info: ctx.types.resolve(p.typeRef) }));
      const bodyEl = el.body as ModdleElement | undefined;
      if (!bodyEl) throw new BoxedReadError('a function definition without a body', id);
      const scope = new Map(ctx.scope);
      for (const p of params) {
        scope.set(p.name, p.info);
        // `Person.Name` is also read as a path on `Person` (./boxed.ts gives both).
        const head = p.name.split('.')[0]!;
        if (head !== p.name && !scope.has(head)) scope.set(head, { kind: 'any' });
      }
      const body = readBoxed(bodyEl, { ...ctx, scope });
      return { kind: 'function', id, ...typed(el.typeRef), params: params.map(({ name, type }) => ({ name, type })), body, ...(kind === 'Java' ? { java: true as const } : {}) };
    }
    case 'dmn:DecisionTable': {
      const problems: ImportProblem[] = [];
      const made = convertTable(ctx.owner, el, ctx.scope, ctx.types, [], ctx.model, problems);
      const errors = problems.filter((p) => p.severity === 'error');
      if (!made || errors.length > 0) throw new BoxedReadError(`its decision table cannot be read: ${errors.map((p) => p.message).join('; ') || 'unknown'}`, id);
      const invalid = validateTable(made.table);
      if (invalid.length > 0) throw new BoxedReadError(`its decision table does not compile: ${invalid.map((p) => p.message).join('; ')}`, id);
      return { kind: 'table', id, table: made.table };
    }
    default:
      throw new BoxedReadError(`a <${el.$type.replace(/^dmn:/, '')}> is not a boxed expression Beslis evaluates`, id);
  }
}
