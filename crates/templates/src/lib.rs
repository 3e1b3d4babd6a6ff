//! Templates as the editor makes them: a ProseMirror document (JSON), read here into one Rust
//! type per node and mark ([`doc`]), checked against the editor's schema ([`validate`]: what
//! may hold what, at most one Inhoud block, safe links, known merge fields) and rendered
//! ([`render`]) to mail-safe HTML (inline styles only, images as `cid:` parts) and to plain
//! text, with the merge fields filled in. Pure: no storage, no I/O.

pub mod doc;
pub mod render;
pub mod subject;
pub mod validate;

pub use doc::{Document, Mark, Node};
pub use render::{Values, html, text, unfilled};
pub use subject::Subject;
pub use validate::{Invalid, parse};
