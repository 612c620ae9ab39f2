// The JSON view: monaco with the decision-table JSON Schema (completion, hover, error marks) and the engine's own
// cell checks as extra marks; kept in step with the grid both ways. Loaded only when the tab opens (monaco is big).
import * as monaco from 'monaco-editor/editor/editor.api.js';
// Only the editor features the JSON view uses (the full set triples the chunk): completion, hover, problems,
// find, folding, formatting, and Ctrl+M to leave the editor with Tab (keyboard users).
import 'monaco-editor/features/codicon/register.js';
import 'monaco-editor/features/codelens/register.js';
import 'monaco-editor/features/dnd/register.js';
import 'monaco-editor/features/dropOrPasteInto/register.js';
import 'monaco-editor/features/bracketMatching/register.js';
import 'monaco-editor/features/clipboard/register.js';
import 'monaco-editor/features/comment/register.js';
import 'monaco-editor/features/contextmenu/register.js';
import 'monaco-editor/features/cursorUndo/register.js';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/features/folding/register.js';
import 'monaco-editor/features/format/register.js';
import 'monaco-editor/features/gotoError/register.js';
import 'monaco-editor/features/hover/register.js';
import 'monaco-editor/features/indentation/register.js';
import 'monaco-editor/features/linesOperations/register.js';
import 'monaco-editor/features/links/register.js';
import 'monaco-editor/features/multicursor/register.js';
import 'monaco-editor/features/readOnlyMessage/register.js';
import 'monaco-editor/features/smartSelect/register.js';
import 'monaco-editor/features/snippet/register.js';
import 'monaco-editor/features/suggest/register.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/toggleTabFocusMode/register.js';
import 'monaco-editor/features/wordHighlighter/register.js';
import 'monaco-editor/features/wordOperations/register.js';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker.js?worker';
import schema from '../../../rules/schema/decision-table.schema.json';
import { schemaProblems, type DecisionTable } from '../../../server/engine/index.ts';
import { debounce, h } from '../dom.ts';
import { lang, problemText, t } from '../i18n/index.ts';
import type { TableSession } from './session.ts';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

let configured = false;
function configure(): void {
  if (configured) return;
  configured = true;
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaValidation: 'error',
    schemas: [{ uri: schema.$id, fileMatch: ['beslis-table-*.json'], schema: schema as object }],
  });
}

/** Finds the text range of a JSON pointer like /rules/3/when/gedrag (the value), for marks. */
function rangeOf(text: string, pointer: string, model: monaco.editor.ITextModel): monaco.IRange | null {
  // A small scanner: walk the JSON text, tracking the path, and return the span of the value at `pointer`.
  const want = pointer.split('/').slice(1);
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string[]): [number, number] | null => {
    ws();
    const start = i;
    const here = path.length === want.length && path.every((p, k) => p === want[k]);
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else
        for (;;) {
          ws();
          const key = str();
          ws();
          i++; // :
          const found = value([...path, key]);
          if (found) return found;
          ws();
          if (text[i] === ',') i++;
          else {
            i++;
            break;
          }
        }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else
        for (let n = 0; ; n++) {
          const found = value([...path, String(n)]);
          if (found) return found;
          ws();
          if (text[i] === ',') i++;
          else {
            i++;
            break;
          }
        }
    } else if (ch === '"') str();
    else while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i++;
    return here ? [start, i] : null;
  };
  try {
    const span = value([]);
    if (!span) return null;
    const a = model.getPositionAt(span[0]);
    const b = model.getPositionAt(span[1]);
    return { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column };
  } catch {
    return null;
  }
}

export function jsonPanel(s: TableSession): { el: HTMLElement; destroy: () => void } {
  configure();
  const host = h('div', { class: 'monaco-host', role: 'region', 'aria-label': t('json.label') });
  const status = h('p', { class: 'json-status', 'aria-live': 'polite' });
  const el = h('div', { class: 'json-tab' }, h('p', { class: 'muted small' }, t('json.help')), status, host);
  const uri = monaco.Uri.parse(`inmemory://beslis/beslis-table-${s.id}-${s.version ?? 'draft'}.json`);
  monaco.editor.getModel(uri)?.dispose();
  const textModel = monaco.editor.createModel(JSON.stringify(s.model.table, null, 2), 'json', uri);
  const editor = monaco.editor.create(host, {
    model: textModel,
    readOnly: s.model.readonly,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    ariaLabel: t('json.label'),
    accessibilitySupport: 'auto',
    tabSize: 2,
  });

  const markEngineProblems = (): void => {
    const text = textModel.getValue();
    const markers: monaco.editor.IMarkerData[] = [];
    s.check.cells.forEach((row, r) => {
      row.forEach((p, key) => {
        const rule = s.model.table.rules[r];
        if (!rule) return;
        const pointer = key === 'id' ? `/rules/${r}/id` : key === 'note' ? `/rules/${r}/note` : `/rules/${r}/${key.startsWith('in:') ? 'when' : 'then'}/${key.slice(key.indexOf(':') + 1)}`;
        const range = rangeOf(text, pointer, textModel) ?? rangeOf(text, `/rules/${r}`, textModel);
        if (range) markers.push({ ...range, message: p.message, severity: p.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning, source: 'beslis' });
      });
    });
    for (const p of s.check.table) {
      const range = rangeOf(text, p.path, textModel);
      if (range) markers.push({ ...range, message: problemText(p), severity: monaco.MarkerSeverity.Error, source: 'beslis' });
    }
    monaco.editor.setModelMarkers(textModel, 'beslis', markers);
  };

  let applying = false;
  const fromText = debounce(() => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(textModel.getValue());
    } catch (err) {
      // The browser's own words for a JSON syntax error are English: only the English interface shows them.
      status.textContent = lang() === 'en' ? `${t('json.invalid')} (${err instanceof Error ? err.message : String(err)})` : t('json.invalid');
      status.className = 'json-status status-error';
      return;
    }
    const shape = schemaProblems(parsed);
    if (shape.length > 0) {
      status.textContent = `${t('json.invalid')} ${shape.slice(0, 3).map((p) => `${p.path}: ${problemText(p)}`).join('; ')}`;
      status.className = 'json-status status-error';
      return;
    }
    status.textContent = '';
    status.className = 'json-status';
    if (JSON.stringify(parsed) !== JSON.stringify(s.model.table)) s.model.replace(parsed as DecisionTable, 'json');
  }, 250);
  const sub = textModel.onDidChangeContent(() => {
    if (!applying) fromText();
  });

  const unlistenModel = s.model.onChange((c) => {
    if (c.source === 'json') return;
    const text = JSON.stringify(s.model.table, null, 2);
    if (text === textModel.getValue()) return;
    applying = true;
    const view = editor.saveViewState();
    textModel.pushEditOperations([], [{ range: textModel.getFullModelRange(), text }], () => null);
    if (view) editor.restoreViewState(view);
    applying = false;
  });
  const unlistenChecks = s.onUpdate(markEngineProblems);
  markEngineProblems();

  return {
    el,
    destroy: () => {
      sub.dispose();
      unlistenModel();
      unlistenChecks();
      editor.dispose();
      textModel.dispose();
    },
  };
}
