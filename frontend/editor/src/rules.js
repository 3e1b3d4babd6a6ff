// The value rules of the template schema. They mirror the server's validator
// (crates/templates/src/validate.rs and postkamer_domain::merge): a document the
// editor produces must never be refused there.

/** The merge fields a template may hold, in the order of the Samenvoegveld menu. */
export const MERGE_FIELDS = Object.freeze([
  "relatie.aanhef",
  "relatie.voornaam",
  "relatie.tussenvoegsel",
  "relatie.achternaam",
  "relatie.volledige_naam",
  "relatie.functie",
  "bedrijf.naam",
  "bedrijf.plaats",
  "gebruiker.naam",
  "gebruiker.functie",
  "gebruiker.email",
  "gebruiker.telefoon",
  "datum.vandaag",
]);

/** The longest fallback text of a merge field, in characters (code points). */
export const MAX_FALLBACK = 200;

/** Text alignments of paragraphs and headings; the first is the default. */
export const ALIGNMENTS = Object.freeze(["left", "center", "right", "justify"]);

/** Heading levels. */
export const MIN_HEADING = 1;
export const MAX_HEADING = 3;

const CONTROL_OR_SPACE = /[\p{White_Space}\p{Cc}]/u;
const STORED_IMAGE = /^cid:[A-Za-z0-9._-]{1,100}$/;

/**
 * An absolute http(s) URL (something after the `//`), or a `mailto:` or `tel:`
 * URL with something after the colon; the scheme in any case; no whitespace or
 * control characters anywhere.
 * @param {unknown} href
 * @returns {boolean}
 */
export function isSafeHref(href) {
  if (typeof href !== "string") return false;
  const colon = href.indexOf(":");
  if (colon < 0) return false;
  const scheme = href.slice(0, colon).replace(/[A-Z]/g, (c) => c.toLowerCase());
  const rest = href.slice(colon + 1);
  let allowed = false;
  if (scheme === "http" || scheme === "https") allowed = rest.startsWith("//") && rest.length > 2;
  else if (scheme === "mailto" || scheme === "tel") allowed = rest.length > 0;
  return allowed && !CONTROL_OR_SPACE.test(href);
}

/**
 * An image stored with the template: `cid:` and a name of letters, digits, dots,
 * dashes and underscores (1 to 100).
 * @param {unknown} src
 * @returns {boolean}
 */
export function isStoredImage(src) {
  return typeof src === "string" && STORED_IMAGE.test(src);
}

/**
 * @param {unknown} field
 * @returns {boolean}
 */
export function isMergeField(field) {
  return typeof field === "string" && MERGE_FIELDS.includes(field);
}

/**
 * @param {unknown} fallback
 * @returns {boolean}
 */
export function isFallback(fallback) {
  return typeof fallback === "string" && [...fallback].length <= MAX_FALLBACK;
}

/**
 * @param {unknown} align
 * @returns {boolean}
 */
export function isAlignment(align) {
  return typeof align === "string" && ALIGNMENTS.includes(align);
}

/**
 * @param {unknown} level
 * @returns {boolean}
 */
export function isHeadingLevel(level) {
  return Number.isInteger(level) && level >= MIN_HEADING && level <= MAX_HEADING;
}

/**
 * The name of a stored image: the part after `cid:`.
 * @param {string} src
 * @returns {string}
 */
export function imageName(src) {
  return src.slice("cid:".length);
}
