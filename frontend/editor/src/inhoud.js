// The Inhoud block: where the mail's own text goes. A document holds at most one,
// directly in the document (the schema sees to the nesting). In compose mode it is
// the template's and cannot be removed; in template mode Div. → Inhoud places it.

import { Fragment, NodeRange, Slice } from "prosemirror-model";
import { NodeSelection, Plugin, PluginKey, Selection, TextSelection } from "prosemirror-state";

/** @typedef {import("prosemirror-model").Node} PMNode */
/** @typedef {import("prosemirror-state").EditorState} EditorState */
/** @typedef {import("prosemirror-state").Transaction} Transaction */
/** @typedef {"template" | "compose"} Mode */

/**
 * The document's Inhoud block and its position, or null.
 * @param {PMNode} doc
 * @returns {{node: PMNode, pos: number} | null}
 */
export function findInhoud(doc) {
  let found = null;
  doc.forEach((node, pos) => {
    if (!found && node.type.name === "inhoud") found = { node, pos };
  });
  return found;
}

/**
 * How many Inhoud blocks the document holds (they only stand in the document itself).
 * @param {PMNode} doc
 */
export function countInhoud(doc) {
  let count = 0;
  doc.forEach((node) => {
    if (node.type.name === "inhoud") count += 1;
  });
  return count;
}

/**
 * Whether Div. → Inhoud can insert a block now: "ok", or why not.
 * @param {EditorState} state
 * @param {Mode} mode
 * @returns {"ok" | "exists" | "nested" | "compose"}
 */
export function inhoudAvailability(state, mode) {
  if (mode === "compose") return "compose";
  if (findInhoud(state.doc)) return "exists";
  if (state.selection.$from.depth > 1) return "nested";
  return "ok";
}

/** Whether the cursor is inside the Inhoud block. */
export function isInInhoud(state) {
  const { $from } = state.selection;
  return $from.depth >= 1 && $from.node(1).type.name === "inhoud";
}

/**
 * Div. → Inhoud: an Inhoud block with an empty paragraph, in place of the cursor's
 * top-level block when that is an empty paragraph, otherwise right after it; the
 * cursor goes inside.
 * @param {Mode} mode
 */
export function insertInhoud(mode) {
  return (state, dispatch) => {
    if (inhoudAvailability(state, mode) !== "ok") return false;
    const { inhoud, paragraph } = state.schema.nodes;
    const { selection } = state;
    const { $from } = selection;
    let from = $from.pos;
    let to = from;
    const blockStart = $from.depth >= 1 ? $from.before(1) : selection instanceof NodeSelection ? selection.from : null;
    if (blockStart !== null) {
      const block = state.doc.nodeAt(blockStart);
      const blockEnd = blockStart + block.nodeSize;
      const emptyParagraph = block.type === paragraph && block.content.size === 0;
      from = emptyParagraph ? blockStart : blockEnd;
      to = blockEnd;
    }
    if (dispatch) {
      const tr = state.tr.replaceWith(from, to, inhoud.create(null, paragraph.create()));
      tr.setSelection(TextSelection.create(tr.doc, from + 2));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/**
 * Removes the Inhoud block in template mode; its content stays where it was.
 * @param {Mode} mode
 */
export function removeInhoud(mode) {
  return (state, dispatch) => {
    const found = mode === "template" && findInhoud(state.doc);
    if (!found) return false;
    if (dispatch) {
      const { doc } = state;
      const range = new NodeRange(doc.resolve(found.pos + 1), doc.resolve(found.pos + found.node.nodeSize - 1), 1);
      dispatch(state.tr.lift(range, 0).scrollIntoView());
    }
    return true;
  };
}

/**
 * The cursor at the start of the Inhoud block's content, or null without one.
 * @param {PMNode} doc
 * @returns {Selection | null}
 */
export function selectionAtInhoud(doc) {
  const found = findInhoud(doc);
  return found && Selection.findFrom(doc.resolve(found.pos + 1), 1, true);
}

/**
 * Compose mode: deleting a selection that holds the whole Inhoud block (select all,
 * then Backspace) empties the block instead of removing it. Null when the
 * selection does not hold the block, or the block itself is selected.
 * @param {EditorState} state
 * @returns {Transaction | null}
 */
export function deleteKeepingInhoud(state) {
  const { selection } = state;
  if (selection.empty || selection instanceof NodeSelection) return null;
  const found = findInhoud(state.doc);
  if (!found) return null;
  const start = found.pos;
  const end = start + found.node.nodeSize;
  if (selection.from > start || selection.to < end) return null;
  // Back to front, so the positions in front stay valid.
  const tr = state.tr;
  if (selection.to > end) tr.delete(end, selection.to);
  tr.replaceWith(start + 1, end - 1, state.schema.nodes.paragraph.create());
  if (selection.from < start) tr.delete(selection.from, start);
  return tr.setSelection(selectionAtInhoud(tr.doc));
}

/**
 * A slice without Inhoud blocks beyond the first `keep`: the others give way to
 * their content.
 * @param {Slice} slice
 * @param {number} keep
 */
function unwrapInhoud(slice, keep) {
  const { content } = slice;
  let { openStart, openEnd } = slice;
  let seen = 0;
  let changed = false;
  const nodes = [];
  content.forEach((node, _offset, index) => {
    if (node.type.name !== "inhoud" || seen++ < keep) {
      nodes.push(node);
      return;
    }
    changed = true;
    node.content.forEach((child) => nodes.push(child));
    if (index === 0 && openStart > 0) openStart -= 1;
    if (index === content.childCount - 1 && openEnd > 0) openEnd -= 1;
  });
  return changed ? new Slice(Fragment.fromArray(nodes), openStart, openEnd) : slice;
}

/** Whether the selection holds all of the Inhoud block. */
function selectionHoldsInhoud(state) {
  const found = findInhoud(state.doc);
  return !!found && state.selection.from <= found.pos && state.selection.to >= found.pos + found.node.nodeSize;
}

/**
 * The rules as a plugin: never two Inhoud blocks, and in compose mode never none
 * when there was one. Pasted Inhoud blocks that would be one too many give way
 * to their content.
 * @param {Mode} mode
 */
export function inhoudPlugin(mode) {
  const compose = mode === "compose";
  /** Compose mode: replace a selection that holds the Inhoud block inside the block. */
  const replaceKeepingInhoud = (view, insert) => {
    if (!compose) return false;
    const tr = deleteKeepingInhoud(view.state);
    if (!tr) return false;
    insert(tr);
    view.dispatch(tr.scrollIntoView());
    return true;
  };

  return new Plugin({
    key: new PluginKey("inhoud"),

    filterTransaction(tr, state) {
      if (!tr.docChanged) return true;
      const after = countInhoud(tr.doc);
      if (after > 1) return false;
      return !(compose && after === 0 && countInhoud(state.doc) > 0);
    },

    props: {
      transformPasted(slice, view) {
        // A block dragged within the editor is moved, not copied: leave it be.
        if (view.dragging) return slice;
        const { state } = view;
        const room = !compose && (!findInhoud(state.doc) || selectionHoldsInhoud(state));
        return unwrapInhoud(slice, room ? 1 : 0);
      },

      handleTextInput(view, _from, _to, text) {
        return replaceKeepingInhoud(view, (tr) => tr.insertText(text));
      },

      handlePaste(view, _event, slice) {
        return replaceKeepingInhoud(view, (tr) => tr.replaceSelection(slice));
      },
    },
  });
}

/**
 * Backspace/Delete in compose mode over a selection holding the Inhoud block.
 * @param {Mode} mode
 */
export function deleteSelectionKeepingInhoud(mode) {
  return (state, dispatch) => {
    if (mode !== "compose") return false;
    const tr = deleteKeepingInhoud(state);
    if (!tr) return false;
    if (dispatch) dispatch(tr.scrollIntoView());
    return true;
  };
}

/**
 * Enter in an empty paragraph inside the Inhoud block: a new paragraph. (The base
 * keymap would split the block in two, which the rules refuse.)
 */
export function splitInInhoud(state, dispatch) {
  const { $cursor } = /** @type {TextSelection} */ (state.selection);
  if (!$cursor || $cursor.depth !== 2 || $cursor.parent.content.size > 0) return false;
  if ($cursor.node(1).type.name !== "inhoud") return false;
  if (dispatch) {
    const pos = $cursor.after();
    const tr = state.tr.insert(pos, state.schema.nodes.paragraph.create({ align: $cursor.parent.attrs.align }));
    dispatch(tr.setSelection(TextSelection.create(tr.doc, pos + 1)).scrollIntoView());
  }
  return true;
}
