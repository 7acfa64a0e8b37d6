import { useEffect, useRef, useState } from 'react';
import { Alert, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap, lineNumbers, highlightActiveLine, type DecorationSet } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, foldGutter, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import { autocompletion, closeBrackets } from '@codemirror/autocomplete';
import { jsonSchema, getJsonPointers } from 'codemirror-json-schema';
import type { JSONSchema7 } from 'json-schema';
import { raw } from '../api/client';
import { cspNonce } from '../csp-nonce';

/** A save-time error from the API, e.g. field `rules.0.conditions.all.1.operator`. */
export interface ServerError {
  field: string;
  message: string;
}

const setServerError = StateEffect.define<{ from: number; to: number } | null>();
const serverErrorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setServerError)) {
        next = effect.value
          ? Decoration.set([
              Decoration.line({ class: 'server-error-line', attributes: { 'data-server-error': 'true' } }).range(
                tr.state.doc.lineAt(effect.value.from).from,
              ),
              Decoration.mark({ class: 'cm-lintRange cm-lintRange-error' }).range(
                effect.value.from,
                Math.max(effect.value.to, effect.value.from + 1),
              ),
            ])
          : Decoration.none;
      }
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/**
 * The JSON range an API field path names: `rules.0.conditions.all.1.operator` → the pointer
 * `/0/conditions/all/1/operator` in the rules array; when the exact node is missing, its nearest parent.
 */
export function locateField(state: EditorState, field: string): { from: number; to: number } | null {
  const pointers = getJsonPointers(state, 'json4');
  const parts = field
    .replace(/^rules\.?/, '')
    .split('.')
    .filter(Boolean);
  for (let n = parts.length; n >= 0; n--) {
    const pointer = n === 0 ? '' : '/' + parts.slice(0, n).join('/');
    const at = pointers.get(pointer);
    if (at) return { from: at.keyFrom, to: 'valueTo' in at ? at.valueTo : at.keyTo };
  }
  return null;
}

export default function RulesEditor({
  value,
  onChange,
  serverError,
  label = 'Rules (JSON)',
}: {
  value: string;
  onChange: (text: string) => void;
  serverError?: ServerError | null;
  label?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [line, setLine] = useState<number | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const schema = useQuery({
    queryKey: ['rules-schema'],
    staleTime: Infinity,
    queryFn: async () => (await raw('/v1/schemas/campaign-rules.json')).json() as Promise<JSONSchema7>,
  });

  useEffect(() => {
    if (!host.current || !schema.data) return;
    const extensions: Extension[] = [
      lineNumbers(),
      foldGutter(),
      history(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      lintGutter(),
      syntaxHighlighting(defaultHighlightStyle),
      autocompletion(),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      jsonSchema(schema.data),
      serverErrorField,
      // tabindex: axe counts a contenteditable as focusable content of its scroller only with it (phone width scrolls).
      EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
      EditorView.cspNonce.of(cspNonce), // its theme is a <style> element: the page's policy admits it by nonce
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChangeRef.current(u.state.doc.toString());
      }),
    ];
    view.current = new EditorView({ parent: host.current, state: EditorState.create({ doc: value, extensions }) });
    return () => view.current?.destroy();
    // The editor owns its text once created; `value` seeds it.
  }, [schema.data]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const range = serverError ? locateField(v.state, serverError.field) : null;
    v.dispatch({ effects: setServerError.of(range) });
    setLine(range ? v.state.doc.lineAt(range.from).number : null);
    if (range) v.dispatch({ effects: EditorView.scrollIntoView(range.from, { y: 'center' }) });
  }, [serverError, schema.data]);

  return (
    <div>
      <Text component="label" size="sm" fw={500} mb={4} display="block">
        {label}
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        Ctrl-Space completes facts, paths, operators and effects; problems are underlined as you type. Tab indents: press Escape, then Tab,
        to move on.
      </Text>
      {schema.error && <Alert color="red">Could not load the rule schema: {(schema.error as Error).message}</Alert>}
      <div ref={host} className="cm-host" data-testid="rules-editor" />
      {serverError && (
        <Alert
          color="red"
          mt="sm"
          title={line ? `Line ${line}: the server refused the rules` : 'The server refused the rules'}
          role="alert"
          data-testid="rules-server-error"
        >
          <Text size="sm">
            <code>{serverError.field}</code>: {serverError.message}
          </Text>
        </Alert>
      )}
    </div>
  );
}
