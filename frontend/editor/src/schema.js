// The template schema: node and mark names, attributes and nesting exactly as the
// server's validator (crates/templates) accepts them. Parse rules only let in what
// passes the value rules, so a paste can never produce a document the server refuses.

import { Schema } from "prosemirror-model";
import {
  ALIGNMENTS,
  MAX_FALLBACK,
  MAX_HEADING,
  isAlignment,
  isFallback,
  isHeadingLevel,
  isMergeField,
  isSafeHref,
  isStoredImage,
} from "./rules.js";

/**
 * @typedef {object} SchemaOptions
 * @property {{inhoud: string, signature: string, fields: Record<string, string>}} labels
 * @property {(src: string) => string} imageUrl  display URL of a stored (`cid:`) image
 */

/** An attribute validator: throws a RangeError when `ok` rejects the value. */
function validator(ok, what) {
  return (value) => {
    if (!ok(value)) throw new RangeError(`Invalid ${what}: ${JSON.stringify(value)}`);
  };
}

const validAlign = validator(isAlignment, "alignment");
const alignAttr = { default: ALIGNMENTS[0], validate: validAlign };

/** The alignment of a pasted or loaded block element, "left" when it has none we know. */
function readAlign(dom) {
  const value = (dom.style.textAlign || dom.getAttribute("align") || "").toLowerCase();
  return isAlignment(value) ? value : ALIGNMENTS[0];
}

/** DOM attributes for a block's alignment: a style only when not left. */
function alignStyle(align) {
  return align === ALIGNMENTS[0] ? {} : { style: `text-align: ${align}` };
}

/** A CSS font-weight that reads as bold: bold, bolder or 600 and up. */
function isBoldWeight(value) {
  if (value === "bold" || value === "bolder") return true;
  const weight = Number(value);
  return value !== "" && Number.isFinite(weight) && weight >= 600;
}

const isMark = (name) => (mark) => mark.type.name === name;

/**
 * The schema, with display labels and the image URL mapping from the mount options.
 * @param {SchemaOptions} options
 * @returns {Schema}
 */
export function createSchema({ labels, imageUrl }) {
  return new Schema({
    nodes: {
      doc: { content: "(block | inhoud)+" },

      paragraph: {
        group: "block",
        content: "inline*",
        attrs: { align: alignAttr },
        parseDOM: [{ tag: "p", getAttrs: (dom) => ({ align: readAlign(dom) }) }],
        toDOM: (node) => ["p", alignStyle(node.attrs.align), 0],
      },

      heading: {
        group: "block",
        content: "inline*",
        defining: true,
        attrs: {
          level: { default: 1, validate: validator(isHeadingLevel, "heading level") },
          align: alignAttr,
        },
        // h4 to h6 become the smallest heading there is.
        parseDOM: [1, 2, 3, 4, 5, 6].map((n) => ({
          tag: `h${n}`,
          getAttrs: (dom) => ({ level: Math.min(n, MAX_HEADING), align: readAlign(dom) }),
        })),
        toDOM: (node) => [`h${node.attrs.level}`, alignStyle(node.attrs.align), 0],
      },

      blockquote: {
        group: "block",
        content: "block+",
        defining: true,
        parseDOM: [{ tag: "blockquote" }],
        toDOM: () => ["blockquote", 0],
      },

      bullet_list: {
        group: "block",
        content: "list_item+",
        parseDOM: [{ tag: "ul" }],
        toDOM: () => ["ul", 0],
      },

      ordered_list: {
        group: "block",
        content: "list_item+",
        attrs: {
          order: {
            default: 1,
            validate: validator((n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, "list start"),
          },
        },
        parseDOM: [
          {
            tag: "ol",
            getAttrs: (dom) => {
              const start = Number(dom.getAttribute("start") ?? 1);
              return { order: Number.isInteger(start) && start >= 0 && start <= 0xffffffff ? start : 1 };
            },
          },
        ],
        toDOM: (node) => (node.attrs.order === 1 ? ["ol", 0] : ["ol", { start: node.attrs.order }, 0]),
      },

      list_item: {
        content: "paragraph block*",
        defining: true,
        parseDOM: [{ tag: "li" }],
        toDOM: () => ["li", 0],
      },

      horizontal_rule: {
        group: "block",
        parseDOM: [{ tag: "hr" }],
        toDOM: () => ["hr"],
      },

      // Where the sender's signature goes. Not editable here: only placed.
      signature: {
        group: "block",
        atom: true,
        draggable: true,
        parseDOM: [{ tag: "div[data-signature]" }],
        toDOM: () => ["div", { "data-signature": "", class: "pk-signature", "data-label": labels.signature }],
      },

      // The Inhoud block: where the mail's own text goes. Outside group "block", so
      // it can only stand directly in the document, never in a quote, list or itself.
      inhoud: {
        content: "block+",
        isolating: true,
        defining: true,
        parseDOM: [{ tag: "div[data-inhoud]" }],
        toDOM: () => ["div", { "data-inhoud": "", class: "pk-inhoud", "data-label": labels.inhoud }, 0],
      },

      text: { group: "inline" },

      hard_break: {
        inline: true,
        group: "inline",
        selectable: false,
        leafText: () => "\n",
        parseDOM: [{ tag: "br" }],
        toDOM: () => ["br"],
      },

      // Only images stored with the template (`cid:`); anything else pasted is dropped.
      image: {
        inline: true,
        group: "inline",
        draggable: true,
        attrs: {
          src: { validate: validator(isStoredImage, "image source") },
          alt: { default: "", validate: "string" },
        },
        parseDOM: [
          {
            tag: "img[data-src]",
            getAttrs: (dom) => {
              const src = dom.getAttribute("data-src");
              return isStoredImage(src) ? { src, alt: dom.getAttribute("alt") ?? "" } : false;
            },
          },
        ],
        toDOM: (node) => [
          "img",
          { src: imageUrl(node.attrs.src), "data-src": node.attrs.src, alt: node.attrs.alt },
        ],
      },

      merge_field: {
        inline: true,
        group: "inline",
        atom: true,
        selectable: true,
        draggable: true,
        attrs: {
          field: { validate: validator(isMergeField, "merge field") },
          fallback: { default: "", validate: validator(isFallback, "merge field fallback") },
        },
        // As the server writes it in text: {relatie.voornaam|fallback}.
        leafText: (node) => `{${node.attrs.field}${node.attrs.fallback ? `|${node.attrs.fallback}` : ""}}`,
        parseDOM: [
          {
            tag: "span[data-field]",
            getAttrs: (dom) => {
              const field = dom.getAttribute("data-field");
              if (!isMergeField(field)) return false;
              const fallback = [...(dom.getAttribute("data-fallback") ?? "")].slice(0, MAX_FALLBACK).join("");
              return { field, fallback };
            },
          },
        ],
        toDOM: (node) => {
          const { field, fallback } = node.attrs;
          const label = labels.fields[field] ?? field;
          return [
            "span",
            { "data-field": field, "data-fallback": fallback, class: "pk-field", contenteditable: "false" },
            fallback ? `${label} | ${fallback}` : label,
          ];
        },
      },
    },

    marks: {
      strong: {
        parseDOM: [
          { tag: "strong" },
          // Google Docs wraps a whole copy in <b style="font-weight:normal">.
          { tag: "b", getAttrs: (dom) => (dom.style.fontWeight === "" || isBoldWeight(dom.style.fontWeight)) && null },
          { style: "font-weight=400", clearMark: isMark("strong") },
          { style: "font-weight=normal", clearMark: isMark("strong") },
          { style: "font-weight", getAttrs: (value) => isBoldWeight(value) && null },
        ],
        toDOM: () => ["strong", 0],
      },

      em: {
        parseDOM: [
          { tag: "i" },
          { tag: "em" },
          { style: "font-style=italic" },
          { style: "font-style=normal", clearMark: isMark("em") },
        ],
        toDOM: () => ["em", 0],
      },

      underline: {
        parseDOM: [
          { tag: "u" },
          ...["text-decoration", "text-decoration-line"].map((style) => ({
            style,
            consuming: false, // the same declaration may also strike through
            getAttrs: (value) => /\bunderline\b/.test(value) && null,
          })),
        ],
        toDOM: () => ["u", 0],
      },

      strike: {
        parseDOM: [
          { tag: "s" },
          { tag: "del" },
          { tag: "strike" },
          ...["text-decoration", "text-decoration-line"].map((style) => ({
            style,
            consuming: false,
            getAttrs: (value) => /\bline-through\b/.test(value) && null,
          })),
        ],
        toDOM: () => ["s", 0],
      },

      link: {
        inclusive: false,
        attrs: {
          href: { validate: validator(isSafeHref, "link") },
          title: { default: null, validate: validator((t) => t === null || typeof t === "string", "link title") },
        },
        // An unsafe link (javascript:, data:, relative …) is no link: its text stays.
        parseDOM: [
          {
            tag: "a[href]",
            getAttrs: (dom) => {
              const href = dom.getAttribute("href");
              return isSafeHref(href) ? { href, title: dom.getAttribute("title") || null } : false;
            },
          },
        ],
        toDOM: (mark) => ["a", { href: mark.attrs.href, title: mark.attrs.title, rel: "noopener noreferrer nofollow" }, 0],
      },
    },
  });
}
