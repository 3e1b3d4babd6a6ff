// The editor's commands by the names the Rust toolbar uses. Each takes its
// attributes (already parsed) and returns a ProseMirror command; values are checked
// with the same rules as the schema, so a command never builds an invalid node.

import { toggleMark, wrapIn } from "prosemirror-commands";
import { redo, undo } from "prosemirror-history";
import { liftListItem, wrapInList } from "prosemirror-schema-list";
import { NodeSelection } from "prosemirror-state";
import { liftTarget } from "prosemirror-transform";
import { insertInhoud, removeInhoud } from "./inhoud.js";
import { isAlignment, isFallback, isHeadingLevel, isMergeField, isSafeHref, isStoredImage } from "./rules.js";

/** @typedef {import("prosemirror-state").Command} Command */
/** @typedef {import("prosemirror-model").Schema} Schema */
/** @typedef {import("prosemirror-model").NodeType} NodeType */
/** @typedef {import("prosemirror-model").MarkType} MarkType */
/** @typedef {import("prosemirror-model").ResolvedPos} ResolvedPos */

/** Refuses: a command that never applies. */
const never = () => false;

/** Whether a node of `type` can be inserted at (or around) the selection. */
function canInsert(state, type) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth >= 0; depth--) {
    const index = $from.index(depth);
    if ($from.node(depth).canReplaceWith(index, index, type)) return true;
  }
  return false;
}

/** Replaces the selection with `node`, if the schema has room for it there. */
export function insertNode(node) {
  return (state, dispatch) => {
    if (!canInsert(state, node.type)) return false;
    if (dispatch) dispatch(state.tr.replaceSelectionWith(node, false).scrollIntoView());
    return true;
  };
}

/**
 * Turns the selected textblocks into `type` with `attrs`; each block keeps its
 * alignment unless `keepAlign` is false.
 * @param {NodeType} type
 * @param {Record<string, unknown>} [attrs]
 * @param {boolean} [keepAlign]
 * @returns {Command}
 */
export function setTextblock(type, attrs = {}, keepAlign = true) {
  const attrsFor = (node) =>
    type.create(keepAlign && "align" in node.attrs ? { ...attrs, align: node.attrs.align } : attrs).attrs;
  return (state, dispatch) => {
    const { from, to } = state.selection;
    let applicable = false;
    state.doc.nodesBetween(from, to, (node, pos) => {
      if (applicable) return false;
      if (!node.isTextblock) return true;
      if (!node.hasMarkup(type, attrsFor(node))) {
        const $pos = state.doc.resolve(pos);
        applicable = $pos.parent.canReplaceWith($pos.index(), $pos.index() + 1, type);
      }
      return false;
    });
    if (!applicable) return false;
    if (dispatch) dispatch(state.tr.setBlockType(from, to, type, attrsFor).scrollIntoView());
    return true;
  };
}

/**
 * The depth of the innermost list around the selection, or -1.
 * @param {Schema} schema
 * @param {ResolvedPos} $from
 * @param {ResolvedPos} $to
 */
function listDepth(schema, $from, $to) {
  const { bullet_list, ordered_list } = schema.nodes;
  for (let depth = $from.sharedDepth($to.pos); depth > 0; depth--) {
    const type = $from.node(depth).type;
    if (type === bullet_list || type === ordered_list) return depth;
  }
  return -1;
}

/**
 * The list button: wraps the selection in a list of `type`, takes it out of such a
 * list again, or turns the other kind of list into this kind.
 * @param {Schema} schema
 * @param {NodeType} type
 * @returns {Command}
 */
export function toggleList(schema, type) {
  return (state, dispatch) => {
    const { $from, $to } = state.selection;
    const depth = listDepth(schema, $from, $to);
    if (depth < 0) return wrapInList(type)(state, dispatch);
    if ($from.node(depth).type === type) return liftListItem(schema.nodes.list_item)(state, dispatch);
    if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(depth), type).scrollIntoView());
    return true;
  };
}

/**
 * The quote button: wraps the selected blocks in a quote, or lifts them out of the
 * innermost quote they are in.
 * @param {NodeType} blockquote
 * @returns {Command}
 */
export function toggleBlockquote(blockquote) {
  return (state, dispatch) => {
    const { $from, $to } = state.selection;
    const range = $from.blockRange($to, (node) => node.type === blockquote);
    if (!range) return wrapIn(blockquote)(state, dispatch);
    const target = liftTarget(range);
    if (target === null) return false;
    if (dispatch) dispatch(state.tr.lift(range, target).scrollIntoView());
    return true;
  };
}

/**
 * The extent of the mark of `type` that touches `$pos` in its textblock.
 * @param {ResolvedPos} $pos
 * @param {MarkType} type
 * @returns {{from: number, to: number, mark: import("prosemirror-model").Mark} | null}
 */
export function markExtent($pos, type) {
  const after = $pos.nodeAfter && type.isInSet($pos.nodeAfter.marks);
  const mark = after || ($pos.nodeBefore && type.isInSet($pos.nodeBefore.marks));
  if (!mark) return null;
  const { parent } = $pos;
  const index = after || $pos.textOffset > 0 ? $pos.index() : $pos.index() - 1;
  let first = index;
  let last = index;
  while (first > 0 && mark.isInSet(parent.child(first - 1).marks)) first -= 1;
  while (last + 1 < parent.childCount && mark.isInSet(parent.child(last + 1).marks)) last += 1;
  return { from: $pos.posAtIndex(first), to: $pos.posAtIndex(last + 1), mark };
}

/**
 * The link dialog's result. No href: the link at the cursor or in the selection
 * goes. A safe href: the selection becomes that link; at a cursor in a link the
 * link changes, elsewhere the href is inserted as a linked text.
 * @param {MarkType} type
 * @param {{href?: string | null, title?: string | null}} attrs
 * @returns {Command}
 */
export function setLink(type, { href = null, title = null }) {
  return (state, dispatch) => {
    const { empty, from, to, $from } = state.selection;
    const around = empty ? markExtent($from, type) : { from, to };
    if (href === null || href === "") {
      if (!around || !state.doc.rangeHasMark(around.from, around.to, type)) return false;
      if (dispatch) dispatch(state.tr.removeMark(around.from, around.to, type).scrollIntoView());
      return true;
    }
    if (!isSafeHref(href) || (title !== null && typeof title !== "string")) return false;
    const mark = type.create({ href, title: title || null });
    const tr = state.tr;
    if (around) {
      tr.removeMark(around.from, around.to, type).addMark(around.from, around.to, mark);
    } else {
      if (!$from.parent.inlineContent) return false;
      tr.insertText(href, from).addMark(from, from + href.length, mark);
    }
    if (dispatch) dispatch(tr.scrollIntoView());
    return true;
  };
}

/**
 * Aligns the selected paragraphs and headings.
 * @param {string} align
 * @returns {Command}
 */
export function setAlign(align) {
  return (state, dispatch) => {
    if (!isAlignment(align)) return false;
    const { from, to } = state.selection;
    const tr = state.tr;
    let applicable = false;
    state.doc.nodesBetween(from, to, (node, pos) => {
      if (!node.isTextblock) return true;
      if ("align" in node.attrs) {
        applicable = true;
        if (node.attrs.align !== align) tr.setNodeAttribute(pos, "align", align);
      }
      return false;
    });
    if (applicable && dispatch && tr.docChanged) dispatch(tr.scrollIntoView());
    return applicable;
  };
}

/**
 * Clear formatting: no marks in the selection (at a cursor: none for what is typed
 * next), and the blocks plain left-aligned paragraphs.
 * @param {NodeType} paragraph
 * @returns {Command}
 */
export function clearFormatting(paragraph) {
  return (state, dispatch) => {
    const { from, to, empty } = state.selection;
    const tr = state.tr;
    if (empty) tr.setStoredMarks([]);
    else tr.removeMark(from, to);
    tr.setBlockType(from, to, paragraph, { align: "left" });
    if (dispatch) dispatch(tr.scrollIntoView());
    return true;
  };
}

/**
 * Div. → Handtekening: the signature block after the cursor's top-level block; a
 * document has one at most.
 * @param {NodeType} signature
 * @returns {Command}
 */
export function insertSignature(signature) {
  return (state, dispatch) => {
    let present = false;
    state.doc.descendants((node) => {
      if (node.type === signature) present = true;
      return !present && !node.isTextblock;
    });
    if (present) return false;
    const { selection } = state;
    const { $from } = selection;
    const pos = $from.depth >= 1 ? $from.after(1) : selection instanceof NodeSelection ? selection.to : $from.pos;
    if (dispatch) dispatch(state.tr.insert(pos, signature.create()).scrollIntoView());
    return true;
  };
}

/**
 * The commands by name, each made from its attributes.
 * @param {Schema} schema
 * @param {"template" | "compose"} mode
 * @returns {Record<string, (attrs: Record<string, any>) => Command>}
 */
export function commandTable(schema, mode) {
  const { nodes, marks } = schema;
  return {
    strong: () => toggleMark(marks.strong),
    em: () => toggleMark(marks.em),
    underline: () => toggleMark(marks.underline),
    strike: () => toggleMark(marks.strike),
    paragraph: () => setTextblock(nodes.paragraph),
    heading: ({ level }) => (isHeadingLevel(level) ? setTextblock(nodes.heading, { level }) : never),
    bullet_list: () => toggleList(schema, nodes.bullet_list),
    ordered_list: () => toggleList(schema, nodes.ordered_list),
    blockquote: () => toggleBlockquote(nodes.blockquote),
    link: (attrs) => setLink(marks.link, attrs),
    align: ({ align }) => setAlign(align),
    image: ({ src, alt = "" }) =>
      isStoredImage(src) && typeof alt === "string" ? insertNode(nodes.image.create({ src, alt })) : never,
    horizontal_rule: () => insertNode(nodes.horizontal_rule.create()),
    undo: () => undo,
    redo: () => redo,
    clear_formatting: () => clearFormatting(nodes.paragraph),
    inhoud: () => insertInhoud(mode),
    remove_inhoud: () => removeInhoud(mode),
    merge_field: ({ field, fallback = "" }) =>
      isMergeField(field) && isFallback(fallback) ? insertNode(nodes.merge_field.create({ field, fallback })) : never,
    signature: () => insertSignature(nodes.signature),
    hard_break: () => insertNode(nodes.hard_break.create()),
  };
}
