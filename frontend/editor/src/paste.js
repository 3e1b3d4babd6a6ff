// Cleaning pasted HTML before ProseMirror parses it. The schema's parse rules
// already drop unknown elements and attributes, unsafe links and foreign images;
// this takes out what would otherwise leak through as text (Word's and Outlook's
// markup, scripts, styles) and turns Word's list paragraphs into real lists.

import { isSafeHref, isStoredImage } from "./rules.js";

const JUNK = [
  /<!--\[if[\s\S]*?<!\[endif\]-->/gi, // conditional comments
  /<!--[\s\S]*?-->/g, // other comments
  /<xml[\s>][\s\S]*?<\/xml>/gi,
  /<style[\s>][\s\S]*?<\/style\s*>/gi,
  /<script[\s>][\s\S]*?<\/script\s*>/gi,
  /<o:p[\s>][\s\S]*?<\/o:p>/gi,
  /<\/?o:p\s*\/?>/gi,
  /<(meta|link)\b[^>]*>/gi,
];

/** A start tag, and an event handler attribute in one. */
const TAG = /<[a-z][^>]*>/gi;
const HANDLER = /\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi;

/**
 * A start tag without its event handler attributes. Only so that the browser does not
 * even see them while parsing (it would report each as blocked by the page's
 * Content-Security-Policy); `disarm` below is what makes sure none is left.
 * @param {string} tag
 */
function withoutHandlers(tag) {
  return tag.replace(HANDLER, "");
}

/** Elements removed with their content, whatever the regular expressions missed. */
const DROPPED = "script, style, meta, link, title, xml, template, noscript, iframe, object, embed";

/** `mso-list:l0 level2 lfo1` in a Word paragraph's style: list l0, an item at level 2. */
const MSO_LIST = /mso-list:\s*(l\d+)\s+level(\d+)/i;
/** A numbered marker: "1.", "a)", "iv." … */
const ORDERED_MARKER = /^\s*(\d+|[a-z]|[ivxlcdm]+)[.)]/i;

/**
 * The Word list and level of a Word list paragraph, or null for any other element.
 * @param {Element | null} element
 * @returns {{id: string, level: number} | null}
 */
function wordListItem(element) {
  if (element?.localName !== "p") return null;
  const match = MSO_LIST.exec(element.getAttribute("style") ?? "");
  return match ? { id: match[1], level: Number(match[2]) } : null;
}

/**
 * Takes the bullet or number Word writes in front of a list paragraph out of it,
 * and says whether it was a number.
 * @param {Element} paragraph
 */
function takeMarker(paragraph) {
  const marker = [...paragraph.querySelectorAll("span")].find((span) =>
    /mso-list:\s*ignore/i.test(span.getAttribute("style") ?? ""),
  );
  if (!marker) return false;
  const ordered = ORDERED_MARKER.test(marker.textContent ?? "");
  marker.remove();
  return ordered;
}

/**
 * Replaces each run of Word list paragraphs with (nested) ul/ol lists.
 * @param {HTMLElement} root
 */
function convertWordLists(root) {
  const doc = root.ownerDocument;
  for (const first of [...root.querySelectorAll("p")]) {
    if (!first.isConnected || !wordListItem(first) || wordListItem(first.previousElementSibling)) continue;
    // The run: this paragraph and the Word list paragraphs right after it.
    const run = [];
    for (let p = first; wordListItem(p); p = p.nextElementSibling) run.push(p);
    /** The open lists, outermost first. @type {{id: string, level: number, ordered: boolean, list: HTMLElement}[]} */
    const open = [];
    /** @type {HTMLElement[]} */
    const outermost = [];
    for (const p of run) {
      const { id, level } = wordListItem(p);
      const ordered = takeMarker(p);
      while (open.length && open[open.length - 1].level > level) open.pop();
      let current = open[open.length - 1];
      if (current?.level === level && (current.id !== id || current.ordered !== ordered)) {
        open.pop();
        current = open[open.length - 1];
      }
      if (!current || current.level < level) {
        const list = doc.createElement(ordered ? "ol" : "ul");
        const parentItem = current?.list.lastElementChild;
        if (parentItem) parentItem.append(list);
        else outermost.push(list);
        current = { id, level, ordered, list };
        open.push(current);
      }
      const item = doc.createElement("li");
      const para = doc.createElement("p");
      para.append(...p.childNodes);
      item.append(para);
      current.list.append(item);
    }
    first.before(...outermost);
    run.forEach((p) => p.remove());
  }
}

/**
 * Takes out what must not even reach ProseMirror's own parser (which puts the HTML
 * into an element to read it): event handler attributes, links that are not
 * http(s)/mailto/tel, images not stored with the template.
 * @param {HTMLElement} root
 */
function disarm(root) {
  for (const element of root.querySelectorAll("*")) {
    for (const { name } of [...element.attributes]) {
      if (name.toLowerCase().startsWith("on")) element.removeAttribute(name);
    }
  }
  root.querySelectorAll("a[href]").forEach((a) => {
    if (!isSafeHref(a.getAttribute("href"))) a.removeAttribute("href");
  });
  root.querySelectorAll("img").forEach((img) => {
    if (!isStoredImage(img.getAttribute("data-src") ?? "")) img.remove();
  });
}

/**
 * The editor's transformPastedHTML: pasted HTML without Word/Outlook junk, scripts
 * and event handlers, with Word's list paragraphs as lists.
 * @param {string} html
 * @returns {string}
 */
export function cleanPastedHTML(html) {
  const stripped = JUNK.reduce((text, pattern) => text.replace(pattern, ""), html).replace(TAG, withoutHandlers);
  // An inert document: nothing in it runs or loads (DOMParser's documents have
  // scripting off and fetch no images).
  const doc = new DOMParser().parseFromString(stripped, "text/html");
  doc.body.querySelectorAll(DROPPED).forEach((element) => element.remove());
  disarm(doc.body);
  convertWordLists(doc.body);
  return doc.body.innerHTML;
}
