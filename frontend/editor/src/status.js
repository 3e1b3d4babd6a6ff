// What the Rust toolbar shows: which marks and block types are active at the
// selection, whether undo/redo and the Inhoud commands can run.

import { redoDepth, undoDepth } from "prosemirror-history";
import { findInhoud, inhoudAvailability, isInInhoud } from "./inhoud.js";
import { markExtent } from "./commands.js";

/** @typedef {import("prosemirror-state").EditorState} EditorState */
/** @typedef {import("prosemirror-model").MarkType} MarkType */

/**
 * @typedef {object} Status
 * @property {boolean} strong
 * @property {boolean} em
 * @property {boolean} underline
 * @property {boolean} strike
 * @property {string | null} link  the href of the link at the selection
 * @property {"paragraph" | "heading1" | "heading2" | "heading3" | "other"} block
 * @property {"bullet" | "ordered" | null} list
 * @property {boolean} quote
 * @property {"left" | "center" | "right" | "justify"} align
 * @property {boolean} canUndo
 * @property {boolean} canRedo
 * @property {boolean} hasInhoud
 * @property {boolean} inInhoud
 * @property {"ok" | "exists" | "nested" | "compose"} inhoud  whether Div. → Inhoud can insert now
 * @property {boolean} canRemoveInhoud
 * @property {boolean} focused
 */

/** Whether text typed at the selection, or all of the selected text, has the mark. */
function markActive(state, type) {
  const { empty, from, to, $from } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

/** The href of the link at the cursor, or of the first link in the selection. */
function linkHref(state, type) {
  const { empty, from, to, $from } = state.selection;
  if (empty) return markExtent($from, type)?.mark.attrs.href ?? null;
  let href = null;
  state.doc.nodesBetween(from, to, (node) => {
    if (href === null && node.isInline) href = type.isInSet(node.marks)?.attrs.href ?? null;
    return href === null;
  });
  return href;
}

/** The block type of the selection's textblock. */
function blockName(parent) {
  if (parent.type.name === "paragraph") return "paragraph";
  if (parent.type.name === "heading") return `heading${parent.attrs.level}`;
  return "other";
}

/**
 * The toolbar's view of the state.
 * @param {EditorState} state
 * @param {{mode: "template" | "compose", focused: boolean}} context
 * @returns {Status}
 */
export function editorStatus(state, { mode, focused }) {
  const { marks } = state.schema;
  const { $from } = state.selection;
  const parent = $from.parent;

  let list = null;
  let quote = false;
  for (let depth = $from.depth; depth > 0; depth--) {
    const name = $from.node(depth).type.name;
    if (list === null && name === "bullet_list") list = "bullet";
    if (list === null && name === "ordered_list") list = "ordered";
    if (name === "blockquote") quote = true;
  }

  const hasInhoud = !!findInhoud(state.doc);
  return {
    strong: markActive(state, marks.strong),
    em: markActive(state, marks.em),
    underline: markActive(state, marks.underline),
    strike: markActive(state, marks.strike),
    link: linkHref(state, marks.link),
    block: blockName(parent),
    list,
    quote,
    align: parent.isTextblock ? parent.attrs.align : "left",
    canUndo: undoDepth(state) > 0,
    canRedo: redoDepth(state) > 0,
    hasInhoud,
    inInhoud: isInInhoud(state),
    inhoud: inhoudAvailability(state, mode),
    canRemoveInhoud: mode === "template" && hasInhoud,
    focused,
  };
}
