// The editor module's facade: what the Rust side (app/src/components/editor.rs)
// binds to with wasm_bindgen. Keep these names.
//
//   mount(element, docJson, optionsJson, onEvent) -> Editor
//
// onEvent(kind, payload) hears "change" (the document JSON) after every change to
// the document, "state" (the toolbar state JSON, see status.js) whenever that state
// changes and once after mounting, and "link" ("") when the user presses Mod-k.

import { Fragment, Slice } from "prosemirror-model";
import { EditorState, Selection } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { commandTable } from "./commands.js";
import { readDocument, readOptions } from "./document.js";
import { findInhoud, selectionAtInhoud } from "./inhoud.js";
import { createPlugins } from "./plugins.js";
import { imageName } from "./rules.js";
import { createSchema } from "./schema.js";
import { editorStatus } from "./status.js";

/** @typedef {(kind: "change" | "state" | "link", payload: string) => void} OnEvent */

/** Whether an Inhoud block's content is nothing but one empty paragraph. */
function isBlank(fragment) {
  return fragment.childCount === 1 && fragment.firstChild.type.name === "paragraph" && fragment.firstChild.content.size === 0;
}

/** A mounted editor. */
class Editor {
  /** @type {EditorView} */ #view;
  /** @type {import("prosemirror-model").Schema} */ #schema;
  /** @type {import("./document.js").Options} */ #options;
  /** @type {import("prosemirror-state").Plugin[]} */ #plugins;
  /** @type {ReturnType<typeof commandTable>} */ #commands;
  /** @type {OnEvent} */ #onEvent;
  #focused = false;
  #lastStatus = "";

  /**
   * @param {HTMLElement} element
   * @param {string} docJson
   * @param {string} optionsJson
   * @param {OnEvent} onEvent
   */
  constructor(element, docJson, optionsJson, onEvent) {
    if (!(element instanceof HTMLElement)) throw new Error("The editor needs an element to mount into.");
    if (typeof onEvent !== "function") throw new Error("The editor needs an onEvent function.");
    const options = readOptions(optionsJson);
    this.#options = options;
    this.#onEvent = onEvent;
    this.#schema = createSchema({
      labels: options.labels,
      imageUrl: (src) => options.imageBase + imageName(src),
    });
    this.#commands = commandTable(this.#schema, options.mode);
    this.#plugins = createPlugins(this.#schema, {
      mode: options.mode,
      onLinkKey: () => this.#emit("link", ""),
    });
    const doc = readDocument(this.#schema, docJson);
    this.#view = new EditorView(element, {
      state: this.#newState(doc),
      editable: () => !options.readOnly,
      attributes: { class: "pk-prose", spellcheck: "true", role: "textbox", "aria-multiline": "true" },
      dispatchTransaction: (tr) => this.#apply(tr),
      handleDOMEvents: {
        focus: () => this.#setFocused(true),
        blur: () => this.#setFocused(false),
      },
    });
    this.#emitStatus();
  }

  /** The document as JSON. */
  getDocument() {
    return JSON.stringify(this.#view.state.doc.toJSON());
  }

  /**
   * Replaces the whole document: a load, so the undo history starts anew and no
   * "change" is reported.
   * @param {string} docJson
   * @throws {Error} as mount does for an invalid document
   */
  setContent(docJson) {
    this.#load(readDocument(this.#schema, docJson));
  }

  /**
   * Compose: another template, keeping what was written in the Inhoud block. That
   * goes into the new template's Inhoud block, or, without one, after its first
   * block (below the greeting). Reports a "change".
   * @param {string} docJson  the new template's document
   * @returns {boolean} whether the new template has an Inhoud block
   * @throws {Error} as mount does for an invalid document
   */
  switchTemplate(docJson) {
    const next = readDocument(this.#schema, docJson);
    const current = findInhoud(this.#view.state.doc);
    const kept = current && !isBlank(current.node.content) ? current.node.content : Fragment.empty;
    const target = findInhoud(next);
    let doc = next;
    let selection = null;
    if (target) {
      if (kept.size) doc = next.replace(target.pos + 1, target.pos + target.node.nodeSize - 1, new Slice(kept, 0, 0));
      selection = selectionAtInhoud(doc);
    } else if (kept.size) {
      const at = next.firstChild.nodeSize;
      doc = next.replace(at, at, new Slice(kept, 0, 0));
      selection = Selection.near(doc.resolve(at + kept.size), -1);
    }
    this.#load(doc, selection);
    this.#emit("change", this.getDocument());
    return !!target;
  }

  /**
   * Puts the cursor at the start of the Inhoud block and focuses the editor.
   * @returns {boolean} false when there is no Inhoud block (the editor is focused all the same)
   */
  focusInhoud() {
    const view = this.#view;
    const selection = selectionAtInhoud(view.state.doc);
    if (selection) view.dispatch(view.state.tr.setSelection(selection).scrollIntoView());
    view.focus();
    return !!selection;
  }

  focus() {
    this.#view.focus();
  }

  /**
   * Runs a toolbar command; the editor gets the focus back when it applied.
   * @param {string} name  strong, heading, link, inhoud … (see commands.js)
   * @param {string} attrsJson  its attributes as JSON ("" for none)
   * @returns {boolean} whether it applied
   */
  command(name, attrsJson) {
    if (this.#options.readOnly) return false;
    const make = Object.prototype.hasOwnProperty.call(this.#commands, name) ? this.#commands[name] : null;
    if (!make) {
      console.error(`editor: no command ${JSON.stringify(name)}`);
      return false;
    }
    let attrs = {};
    try {
      if (attrsJson) attrs = JSON.parse(attrsJson);
    } catch (error) {
      console.error(`editor: the attributes of ${name} are not JSON: ${error.message}`);
      return false;
    }
    if (!attrs || typeof attrs !== "object") return false;
    const view = this.#view;
    const applied = make(attrs)(view.state, (tr) => view.dispatch(tr), view);
    if (applied) view.focus();
    return applied;
  }

  destroy() {
    this.#view.destroy();
  }

  /** A fresh state for `doc`: new history, the cursor at `selection` or the start. */
  #newState(doc, selection = null) {
    return EditorState.create({ doc, selection: selection ?? Selection.atStart(doc), plugins: this.#plugins });
  }

  #load(doc, selection = null) {
    this.#view.updateState(this.#newState(doc, selection));
    this.#emitStatus();
  }

  /** @param {import("prosemirror-state").Transaction} tr */
  #apply(tr) {
    const view = this.#view;
    const before = view.state;
    view.updateState(before.apply(tr));
    if (view.state.doc !== before.doc) this.#emit("change", this.getDocument());
    if (view.state !== before) this.#emitStatus();
  }

  #setFocused(focused) {
    this.#focused = focused;
    this.#emitStatus();
    return false;
  }

  /** Reports the toolbar state when it differs from the last report. */
  #emitStatus() {
    const status = JSON.stringify(editorStatus(this.#view.state, { mode: this.#options.mode, focused: this.#focused }));
    if (status === this.#lastStatus) return;
    this.#lastStatus = status;
    this.#emit("state", status);
  }

  #emit(kind, payload) {
    try {
      this.#onEvent(kind, payload);
    } catch (error) {
      console.error(`editor: the ${kind} handler failed`, error);
    }
  }
}

/**
 * Mounts an editor into `element` (an empty element; the editable area goes inside).
 * @param {HTMLElement} element
 * @param {string} docJson  the stored document; "" for one empty paragraph
 * @param {string} optionsJson  {"mode", "labels", "imageBase", "readOnly"}
 * @param {OnEvent} onEvent
 * @returns {Editor}
 * @throws {Error} when the document or the options are invalid, saying why
 */
export function mount(element, docJson, optionsJson, onEvent) {
  return new Editor(element, docJson, optionsJson, onEvent);
}
