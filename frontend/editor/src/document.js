// Reading a stored document (ProseMirror JSON) and the mount options.

import { countInhoud } from "./inhoud.js";

/**
 * @typedef {object} Options
 * @property {"template" | "compose"} mode
 * @property {boolean} readOnly
 * @property {string} imageBase  where stored images are shown from: imageBase + name
 * @property {{inhoud: string, signature: string, fields: Record<string, string>}} labels
 */

/**
 * The document in `json`; an empty string is one empty paragraph.
 * @param {import("prosemirror-model").Schema} schema
 * @param {string} json
 * @returns {import("prosemirror-model").Node}
 * @throws {Error} when the JSON is no document of this schema, saying why
 */
export function readDocument(schema, json) {
  if (json === "" || json === undefined || json === null) {
    return schema.node("doc", null, [schema.node("paragraph")]);
  }
  let value;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`The document is not valid JSON: ${error.message}`);
  }
  if (!value || typeof value !== "object" || value.type !== "doc") {
    throw new Error('The document must be an object of type "doc".');
  }
  let doc;
  try {
    doc = schema.nodeFromJSON(value);
    doc.check();
  } catch (error) {
    throw new Error(`The document does not fit the editor's schema: ${error.message}`);
  }
  if (countInhoud(doc) > 1) throw new Error("The document has more than one Inhoud block.");
  return doc;
}

/**
 * The mount options, with defaults for what is left out.
 * @param {string} json
 * @returns {Options}
 * @throws {Error} when the JSON is invalid or names an unknown mode
 */
export function readOptions(json) {
  let raw;
  try {
    raw = json ? JSON.parse(json) : {};
  } catch (error) {
    throw new Error(`The editor options are not valid JSON: ${error.message}`);
  }
  if (!raw || typeof raw !== "object") throw new Error("The editor options must be a JSON object.");
  const mode = raw.mode ?? "template";
  if (mode !== "template" && mode !== "compose") {
    throw new Error(`Unknown editor mode ${JSON.stringify(mode)}: "template" or "compose".`);
  }
  const labels = raw.labels ?? {};
  return {
    mode,
    readOnly: raw.readOnly === true,
    imageBase: typeof raw.imageBase === "string" ? raw.imageBase : "",
    labels: {
      inhoud: typeof labels.inhoud === "string" ? labels.inhoud : "Inhoud",
      signature: typeof labels.signature === "string" ? labels.signature : "Handtekening",
      fields: { ...(labels.fields ?? {}) },
    },
  };
}
