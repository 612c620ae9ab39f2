// The required documents of a decision model from a lookup of documents by id (the store's versions, the files of
// a folder, a test's list): knowledge models compiled once each, on first use, and a cycle of knowledge models
// requiring one another refused naming it (a model calling itself by its name is no cycle: that is recursion).
import { ModelError } from './boxed-logic.ts';
import { compileKnowledgeModel, type CompiledKnowledgeModel } from './knowledge-model.ts';
import { problem } from './messages.ts';
import { asRequired, type RequiredDocuments } from './model-requirements.ts';
import type { PolicyDocument } from './types.ts';

export interface ModelLibrary {
  required: RequiredDocuments;
  /** The compiled knowledge model of `id`, compiling it (and what it requires) when first asked. */
  knowledge(id: string): CompiledKnowledgeModel | undefined;
}

export function modelLibrary(lookup: (id: string) => PolicyDocument | undefined): ModelLibrary {
  const compiled = new Map<string, CompiledKnowledgeModel>();
  const compiling: string[] = [];
  const knowledge = (id: string): CompiledKnowledgeModel | undefined => {
    const known = compiled.get(id);
    if (known) return known;
    const doc = lookup(id);
    if (!doc || doc.kind !== 'bkm') return undefined;
    if (compiling.includes(id)) {
      const cycle = [...compiling.slice(compiling.indexOf(id)), id].join(' → ');
      throw new ModelError([problem('/requires', 'BOXED_REQUIRES_CYCLE', { cycle })]);
    }
    compiling.push(id);
    try {
      const model = compileKnowledgeModel(doc, required);
      compiled.set(id, model);
      return model;
    } finally {
      compiling.pop();
    }
  };
  const required: RequiredDocuments = (id) => {
    const doc = lookup(id);
    if (!doc) return undefined;
    if (doc.kind === 'bkm') {
      const model = knowledge(id);
      return model ? { kind: 'knowledge', model } : undefined;
    }
    return asRequired(doc);
  };
  return { required, knowledge };
}
