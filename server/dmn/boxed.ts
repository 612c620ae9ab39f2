// Compiles DMN boxed expressions (./types.ts BoxedExpr) once into closures over FEEL values (DMN 1.5 chapter 7 and
// 10.4): a context's entries in order, each seeing the earlier ones, its result entry (or else the context itself); a
// list; a relation (a list of contexts); a function definition (a closure); an invocation binding parameters by name;
// a decision table on the names in scope. FEEL values pass between them as they are: a function stays a function.
import { argumentsAs, coerceTo, compileFeelValue, compileTable, feelValues, type FeelContext, type FeelFunction, type FeelType, type FeelValue } from '../engine/index.ts';
import { javaFunction, javaMappingOf, JavaRefusal } from '../engine/java-emulation.ts';
import { dmnValueOf, tableTextTypes } from './model-values.ts';
import type { BoxedExpr } from './types.ts';

export type Closure = (vars: FeelContext) => FeelValue;

export interface BoxedCompileOptions {
  /** Every name in scope where the expression starts (names with spaces parse as one name). */
  names: readonly string[];
  typeNames: Readonly<Record<string, FeelType>>;
}

/** An error in compiling a boxed expression, naming the element. */
export class BoxedCompileError extends Error {}

const typedBy = (fn: Closure, type: FeelType | undefined): Closure => (type && type.k !== 'Any' ? (vars) => coerceTo(fn(vars), type) : fn);

export function compileBoxed(e: BoxedExpr, opts: BoxedCompileOptions): Closure {
  switch (e.kind) {
    case 'literal': {
      if (!e.text) return () => null;
      try {
        return compileFeelValue(e.text, { names: opts.names, functions: opts.names, invalidCalls: 'null', typeNames: opts.typeNames, ...(e.type ? { resultType: e.type } : {}) });
      } catch (err) {
        throw new BoxedCompileError(`literal expression '${e.id}' does not compile: ${(err as Error).message}`);
      }
    }
    case 'context': {
      const names = [...opts.names];
      const entries = e.entries.map((entry) => {
        const fn = typedBy(compileBoxed(entry.value, { ...opts, names }), entry.type);
        if (entry.name !== null) names.push(entry.name);
        return { name: entry.name, fn };
      });
      const last = entries.length > 0 && entries[entries.length - 1]!.name === null ? entries.length - 1 : -1;
      return typedBy((vars) => {
        const local: FeelContext = { ...vars };
        const ctx: FeelContext = {};
        for (let i = 0; i < entries.length; i++) {
          const { name, fn } = entries[i]!;
          const v = fn(local);
          if (i === last) return v;
          if (name !== null) {
            ctx[name] = v;
            local[name] = v;
          }
        }
        return ctx;
      }, e.type);
    }
    case 'list': {
      const items = e.items.map((x) => compileBoxed(x, opts));
      return typedBy((vars) => items.map((f) => f(vars)), e.type);
    }
    case 'relation': {
      const { columns } = e;
      const rows = e.rows.map((row) => row.map((x) => compileBoxed(x, opts)));
      return typedBy(
        (vars) =>
          rows.map((row) => {
            const out: FeelContext = {};
            columns.forEach((c, i) => (out[c] = row[i] ? row[i](vars) : null));
            return out;
          }),
        e.type,
      );
    }
    case 'function': {
      if (e.java) return compileJavaFunction(e, opts);
      const params = e.params;
      const body = compileBoxed(e.body, { ...opts, names: [...opts.names, ...params.map((p) => p.name)] });
      const paramTypes = params.map((p) => p.type);
      const dotted = params.flatMap((p, i) => {
        const at = p.name.indexOf('.');
        return at > 0 ? [[p.name.slice(0, at), p.name.slice(at + 1), i] as const] : [];
      });
      const dottedHeads = new Set(dotted.map(([head]) => head));
      // A closure: the body sees the scope the definition was evaluated in, and the arguments by name, each
      // converted to its parameter's type; an argument that does not conform, even so, makes the invocation null
      // (DMN 1.5 10.3.2.9.4; the TCK's 0082 invoke_001: a context without `age` for a tNameAndAge).
      return (vars) =>
        feelValues.nameParameters(
          (...args: FeelValue[]) => {
            if (args.length !== params.length) return null;
            const typed = argumentsAs(args, paramTypes);
            if (typed === null) return null;
            const local: FeelContext = { ...vars };
            for (let i = 0; i < params.length; i++) local[params[i]!.name] = typed[i]!;
            for (const [head, tail, i] of dotted) {
              // A parameter named `Person.Name` is read as the path it looks like, too (a table's input `Person.Name`).
              const outer = local[head];
              if (outer === undefined || (feelValues.isContext(outer) && dottedHeads.has(head))) {
                const ctx: FeelContext = feelValues.isContext(outer) ? outer : {};
                ctx[tail] = local[params[i]!.name]!;
                local[head] = ctx;
              }
            }
            return body(local);
          },
          params.map((p) => p.name),
          paramTypes,
        );
    }
    case 'invocation': {
      // The callee is a name in scope (a BKM's, which may hold a `-` FEEL would read as a minus), or else FEEL.
      const calleeName = e.callee;
      const callee: Closure = opts.names.includes(calleeName)
        ? (vars) => (Object.hasOwn(vars, calleeName) ? vars[calleeName]! : null)
        : compileBoxed({ kind: 'literal', id: e.id, text: e.callee }, opts);
      const bindings = e.bindings.map((b) => ({ name: b.name, fn: b.value ? compileBoxed(b.value, opts) : () => null }));
      return typedBy((vars) => {
        const fn = callee(vars);
        if (typeof fn !== 'function') return null;
        const params = feelValues.parametersOf(fn);
        if (!params) return null;
        // DMN 1.5 10.4: the bindings give parameters by name; a parameter without a binding is null.
        const args: FeelValue[] = params.map(() => null);
        for (const b of bindings) {
          const at = params.indexOf(b.name);
          if (at < 0) return null;
          args[at] = b.fn(vars);
        }
        return (fn as FeelFunction)(...args);
      }, e.type);
    }
    case 'table': {
      const { table } = e;
      const compiled = compileTable(table);
      return (vars) => {
        const { output } = compiled.evaluate(feelValues.toJson(vars) as Record<string, unknown>);
        return feelValues.fromTypedJson(dmnValueOf(table, output), tableTextTypes(table, output));
      };
    }
  }
}

/**
 * A boxed function definition of kind Java (its `kind` attribute; DMN 1.5 10.3.2.13.3): its body is a context of `class` and
 * `method signature`, and the function is the emulated method (../engine/java-emulation.ts). A mapping that reads
 * nothing from its scope is checked here, so a method Beslis does not emulate is an error naming it.
 */
function compileJavaFunction(e: Extract<BoxedExpr, { kind: 'function' }>, opts: BoxedCompileOptions): Closure {
  const mapping = compileBoxed(e.body, opts);
  const params = e.params;
  const make = (v: FeelValue): FeelFunction | null => {
    const m = javaMappingOf(v, true);
    if (!m) return null;
    const fn = javaFunction(m.className, m.signature, params.length);
    if (fn instanceof JavaRefusal) return null;
    // The parameters' types convert the arguments first, as for a FEEL function (DMN 1.5 10.3.2.9.4).
    const types = params.map((p) => p.type);
    const typed = (...args: FeelValue[]) => {
      const converted = argumentsAs(args, types);
      return converted === null ? null : fn(...converted);
    };
    return feelValues.nameParameters(typed, params.map((p) => p.name), types);
  };
  let constant: FeelValue | undefined;
  try {
    constant = mapping({});
  } catch {
    constant = undefined;
  }
  const m = constant === undefined ? null : javaMappingOf(constant, true);
  if (m) {
    const fn = javaFunction(m.className, m.signature, params.length);
    if (fn instanceof JavaRefusal) throw new BoxedCompileError(`function definition '${e.id}' maps to ${fn.method}, a Java method Beslis does not emulate`);
  }
  return (vars) => make(mapping(vars));
}
