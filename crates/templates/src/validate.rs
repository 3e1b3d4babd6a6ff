//! The editor's schema, checked on the server: which node may stand where, at most one Inhoud
//! block (in the document itself, not in a quote or list), links to http(s), mailto and tel
//! only, images stored with the template (`cid:`), headings 1 to 3, merge fields from the list.

use postkamer_domain::templates::TemplateRule;

use crate::doc::{Document, Mark, Node};

/// The largest document accepted (its JSON).
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest nesting accepted (quotes in lists in quotes …).
pub const MAX_DEPTH: usize = 24;
/// The longest fallback text of a merge field.
pub const MAX_FALLBACK: usize = 200;

/// Why a document is not a template; the message is for the user (Dutch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("Het sjabloon is te groot (meer dan 1 MB).")]
    TooLarge,
    #[error("Het sjabloon is geen geldig document: {0}")]
    Json(String),
    #[error("Het sjabloon moet met een document-knoop beginnen.")]
    NotADocument,
    #[error("Het sjabloon is te diep genest.")]
    TooDeep,
    #[error("Een {node} kan niet in een {parent} staan.")]
    Misplaced {
        node: &'static str,
        parent: &'static str,
    },
    #[error("Een {0} mag niet leeg zijn.")]
    Empty(&'static str),
    #[error("Een sjabloon heeft hoogstens één Inhoud-blok.")]
    SecondInhoud,
    #[error("De link {0:?} is niet toegestaan: alleen http-, https-, mailto- en tel-links.")]
    UnsafeLink(String),
    #[error("De afbeelding {0:?} is niet bij het sjabloon opgeslagen.")]
    ImageSource(String),
    #[error("Kopniveau {0} bestaat niet (1 tot en met 3).")]
    HeadingLevel(u8),
    #[error("De vervangtekst van een samenvoegveld is te lang (hoogstens 200 tekens).")]
    FallbackTooLong,
    #[error("Het samenvoegveld {{{0}}} bestaat niet.")]
    UnknownField(String),
    #[error("Een samenvoegveld in het onderwerp is niet afgesloten met }}.")]
    UnclosedField,
    #[error("Het onderwerp is te lang (hoogstens 250 tekens).")]
    SubjectTooLong,
    #[error("Het onderwerp moet op één regel staan.")]
    SubjectLineBreak,
}

impl Invalid {
    /// The rule broken, as the UI and the API name it.
    pub fn rule(&self) -> TemplateRule {
        match self {
            Invalid::TooLarge => TemplateRule::TooLarge,
            Invalid::Json(_) | Invalid::NotADocument => TemplateRule::NotATemplate,
            Invalid::TooDeep => TemplateRule::TooDeep,
            Invalid::Misplaced { .. } => TemplateRule::MisplacedNode,
            Invalid::Empty(_) => TemplateRule::EmptyNode,
            Invalid::SecondInhoud => TemplateRule::SecondInhoud,
            Invalid::UnsafeLink(_) => TemplateRule::UnsafeLink,
            Invalid::ImageSource(_) => TemplateRule::ImageSource,
            Invalid::HeadingLevel(_) => TemplateRule::HeadingLevel,
            Invalid::FallbackTooLong => TemplateRule::FallbackTooLong,
            Invalid::UnknownField(_) => TemplateRule::UnknownField,
            Invalid::UnclosedField => TemplateRule::UnclosedField,
            Invalid::SubjectTooLong => TemplateRule::SubjectTooLong,
            Invalid::SubjectLineBreak => TemplateRule::SubjectLineBreak,
        }
    }

    /// A stable code for logs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Invalid::NotADocument => "not_a_document",
            other => match other.rule() {
                TemplateRule::TooLarge => "too_large",
                TemplateRule::NotATemplate => "not_a_template",
                TemplateRule::TooDeep => "too_deep",
                TemplateRule::MisplacedNode => "misplaced_node",
                TemplateRule::EmptyNode => "empty_node",
                TemplateRule::SecondInhoud => "second_inhoud",
                TemplateRule::UnsafeLink => "unsafe_link",
                TemplateRule::ImageSource => "image_source",
                TemplateRule::HeadingLevel => "heading_level",
                TemplateRule::FallbackTooLong => "fallback_too_long",
                TemplateRule::UnknownField => "unknown_field",
                TemplateRule::UnclosedField => "unclosed_field",
                TemplateRule::SubjectTooLong => "subject_too_long",
                TemplateRule::SubjectLineBreak => "subject_line_break",
                TemplateRule::ImageType => "image_type",
                TemplateRule::ImageTooLarge => "image_too_large",
            },
        }
    }
}

/// Reads and checks a document from the editor's JSON.
pub fn parse(json: &str) -> Result<Document, Invalid> {
    if json.len() > MAX_BYTES {
        return Err(Invalid::TooLarge);
    }
    let doc: Document = serde_json::from_str(json).map_err(|e| Invalid::Json(e.to_string()))?;
    check(&doc)?;
    Ok(doc)
}

/// Checks a document against the schema.
pub fn check(doc: &Document) -> Result<(), Invalid> {
    let Node::Doc { content } = &doc.0 else {
        return Err(Invalid::NotADocument);
    };
    if content.is_empty() {
        return Err(Invalid::Empty("document"));
    }
    let mut inhoud = 0;
    for node in content {
        if matches!(node, Node::Inhoud { .. }) {
            inhoud += 1;
            if inhoud > 1 {
                return Err(Invalid::SecondInhoud);
            }
        }
        node_in(node, &doc.0, 1)?;
    }
    Ok(())
}

/// Checks `node`, a child of `parent`, at `depth`.
fn node_in(node: &Node, parent: &Node, depth: usize) -> Result<(), Invalid> {
    if depth > MAX_DEPTH {
        return Err(Invalid::TooDeep);
    }
    if !may_hold(parent, node) {
        return Err(Invalid::Misplaced {
            node: dutch_name(node),
            parent: dutch_name(parent),
        });
    }
    match node {
        Node::Heading { attrs, .. } if !(1..=3).contains(&attrs.level) => {
            return Err(Invalid::HeadingLevel(attrs.level));
        }
        Node::Text { text, marks } => {
            if text.is_empty() {
                return Err(Invalid::Empty("tekst"));
            }
            marks.iter().try_for_each(mark)?;
        }
        Node::Image { attrs } if !stored_image(&attrs.src) => {
            return Err(Invalid::ImageSource(attrs.src.clone()));
        }
        Node::MergeField { attrs } if attrs.fallback.chars().count() > MAX_FALLBACK => {
            return Err(Invalid::FallbackTooLong);
        }
        Node::Blockquote { content }
        | Node::BulletList { content }
        | Node::OrderedList { content, .. }
        | Node::ListItem { content }
        | Node::Inhoud { content }
            if content.is_empty() =>
        {
            return Err(Invalid::Empty(dutch_name(node)));
        }
        _ => {}
    }
    node.children()
        .iter()
        .try_for_each(|child| node_in(child, node, depth + 1))
}

/// What the schema lets stand where.
fn may_hold(parent: &Node, child: &Node) -> bool {
    let block = !child.is_inline() && !matches!(child, Node::ListItem { .. } | Node::Doc { .. });
    match parent {
        Node::Doc { .. } => block,
        // Quotes, list items and the Inhoud block hold blocks, but never an Inhoud block.
        Node::Blockquote { .. } | Node::ListItem { .. } | Node::Inhoud { .. } => {
            block && !matches!(child, Node::Inhoud { .. })
        }
        Node::BulletList { .. } | Node::OrderedList { .. } => {
            matches!(child, Node::ListItem { .. })
        }
        Node::Paragraph { .. } | Node::Heading { .. } => child.is_inline(),
        _ => false,
    }
}

fn mark(mark: &Mark) -> Result<(), Invalid> {
    match mark {
        Mark::Link { attrs } if !safe_link(&attrs.href) => {
            Err(Invalid::UnsafeLink(attrs.href.clone()))
        }
        _ => Ok(()),
    }
}

/// An absolute http, https, mailto or tel URL without spaces or control characters.
pub fn safe_link(href: &str) -> bool {
    let Some((scheme, rest)) = href.split_once(':') else {
        return false;
    };
    let scheme = scheme.to_ascii_lowercase();
    let allowed = match scheme.as_str() {
        "http" | "https" => rest.starts_with("//") && rest.len() > 2,
        "mailto" | "tel" => !rest.is_empty(),
        _ => false,
    };
    allowed && !href.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// `cid:` and a name of letters, digits, dots, dashes and underscores.
fn stored_image(src: &str) -> bool {
    src.strip_prefix("cid:").is_some_and(|name| {
        !name.is_empty()
            && name.len() <= 100
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    })
}

/// The node type as the user knows it.
fn dutch_name(node: &Node) -> &'static str {
    match node {
        Node::Doc { .. } => "document",
        Node::Paragraph { .. } => "alinea",
        Node::Heading { .. } => "kop",
        Node::Blockquote { .. } => "citaat",
        Node::BulletList { .. } | Node::OrderedList { .. } => "lijst",
        Node::ListItem { .. } => "lijstregel",
        Node::HorizontalRule => "scheidingslijn",
        Node::Inhoud { .. } => "Inhoud-blok",
        Node::Signature => "handtekening",
        Node::Image { .. } => "afbeelding",
        Node::HardBreak => "regeleinde",
        Node::Text { .. } => "tekst",
        Node::MergeField { .. } => "samenvoegveld",
    }
}
