// The editor's plugins: history, keys, input rules, drop and gap cursors, paste
// cleaning, the Inhoud rules, and the server's rules the schema cannot say.

import { baseKeymap, chainCommands, toggleMark } from "prosemirror-commands";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { history, redo, undo } from "prosemirror-history";
import { inputRules, textblockTypeInputRule, undoInputRule, wrappingInputRule } from "prosemirror-inputrules";
import { keymap } from "prosemirror-keymap";
import { liftListItem, sinkListItem, splitListItem } from "prosemirror-schema-list";
import { Plugin, PluginKey } from "prosemirror-state";
import { insertNode, setTextblock, toggleBlockquote, toggleList } from "./commands.js";
import { deleteSelectionKeepingInhoud, inhoudPlugin, splitInInhoud } from "./inhoud.js";
import { cleanPastedHTML } from "./paste.js";

/** The deepest nesting the server accepts (crates/templates validate::MAX_DEPTH). */
const MAX_DEPTH = 24;

/** How deep the document nests: a top-level block is at 1, its text at 2. */
function nestingDepth(node, depth = 0) {
  if (node.isTextblock) return node.childCount ? depth + 1 : depth;
  let deepest = depth;
  node.forEach((child) => {
    deepest = Math.max(deepest, nestingDepth(child, depth + 1));
  });
  return deepest;
}

/**
 * The server's rules beyond the schema: marks only on text (an image or merge field
 * in bold text stays unmarked), and no nesting deeper than the server reads.
 */
function serverRulesPlugin() {
  return new Plugin({
    key: new PluginKey("serverRules"),
    filterTransaction: (tr) => !tr.docChanged || nestingDepth(tr.doc) <= MAX_DEPTH,
    appendTransaction(transactions, _old, state) {
      if (!transactions.some((tr) => tr.docChanged)) return null;
      const tr = state.tr;
      state.doc.descendants((node, pos) => {
        if (node.isInline && !node.isText) node.marks.forEach((mark) => tr.removeNodeMark(pos, mark));
        return !node.isInline;
      });
      return tr.docChanged ? tr : null;
    },
  });
}

/**
 * The keys. Mod is Ctrl, or Cmd on a Mac.
 * @param {import("prosemirror-model").Schema} schema
 * @param {"template" | "compose"} mode
 * @param {() => void} onLinkKey  Mod-k: the toolbar opens its link dialog
 */
function keys(schema, mode, onLinkKey) {
  const { marks, nodes } = schema;
  const item = nodes.list_item;
  const keepInhoud = deleteSelectionKeepingInhoud(mode);
  const quote = toggleBlockquote(nodes.blockquote);
  const bindings = {
    "Mod-z": undo,
    "Mod-Shift-z": redo,
    "Mod-y": redo,
    Backspace: chainCommands(undoInputRule, keepInhoud),
    Delete: keepInhoud,
    "Mod-Backspace": keepInhoud,
    "Mod-Delete": keepInhoud,
    "Shift-Backspace": keepInhoud,
    "Mod-b": toggleMark(marks.strong),
    "Mod-i": toggleMark(marks.em),
    "Mod-u": toggleMark(marks.underline),
    "Mod-Shift-s": toggleMark(marks.strike),
    "Mod-k": () => {
      onLinkKey();
      return true;
    },
    Enter: chainCommands(splitListItem(item), splitInInhoud),
    Tab: sinkListItem(item),
    "Shift-Tab": liftListItem(item),
    "Shift-Enter": insertNode(nodes.hard_break.create()),
    "Mod-Alt-0": setTextblock(nodes.paragraph),
    "Mod-Shift-8": toggleList(schema, nodes.bullet_list),
    "Mod-Shift-9": toggleList(schema, nodes.ordered_list),
    "Mod->": quote,
    "Mod-Shift-.": quote,
  };
  for (const level of [1, 2, 3]) bindings[`Mod-Alt-${level}`] = setTextblock(nodes.heading, { level });
  return bindings;
}

/** Markdown-like shortcuts at the start of a line: "- ", "1. ", "> ", "# ". */
function rules(schema) {
  const { nodes } = schema;
  return inputRules({
    rules: [
      wrappingInputRule(/^\s*([-*])\s$/, nodes.bullet_list),
      wrappingInputRule(
        /^(\d+)\.\s$/,
        nodes.ordered_list,
        (match) => (Number(match[1]) <= 0xffffffff ? { order: Number(match[1]) } : null),
        (match, node) => node.childCount + node.attrs.order === Number(match[1]),
      ),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
      textblockTypeInputRule(/^(#{1,3})\s$/, nodes.heading, (match) => ({ level: match[1].length })),
    ],
  });
}

/**
 * All plugins, in the order they get a say.
 * @param {import("prosemirror-model").Schema} schema
 * @param {{mode: "template" | "compose", onLinkKey: () => void}} options
 * @returns {Plugin[]}
 */
export function createPlugins(schema, { mode, onLinkKey }) {
  return [
    inhoudPlugin(mode),
    serverRulesPlugin(),
    new Plugin({ key: new PluginKey("paste"), props: { transformPastedHTML: cleanPastedHTML } }),
    rules(schema),
    keymap(keys(schema, mode, onLinkKey)),
    keymap(baseKeymap),
    history(),
    dropCursor({ class: "pk-dropcursor", color: false }),
    gapCursor(),
  ];
}
