//! The editor's document: ProseMirror's JSON (`{"type": "paragraph", "attrs": {…}, "content":
//! […]}`), one variant per node type of the editor's schema and one per mark. A type or an
//! attribute the schema does not have is a parse error, never silently dropped.

use postkamer_domain::merge::MergeField;
use serde::{Deserialize, Serialize};

/// A whole document: its top node must be `doc`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Document(pub Node);

/// A node of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Node {
    Doc {
        #[serde(default)]
        content: Vec<Node>,
    },
    Paragraph {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attrs: Option<BlockAttrs>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        content: Vec<Node>,
    },
    Heading {
        attrs: HeadingAttrs,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        content: Vec<Node>,
    },
    Blockquote {
        #[serde(default)]
        content: Vec<Node>,
    },
    BulletList {
        #[serde(default)]
        content: Vec<Node>,
    },
    OrderedList {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attrs: Option<OrderedAttrs>,
        #[serde(default)]
        content: Vec<Node>,
    },
    ListItem {
        #[serde(default)]
        content: Vec<Node>,
    },
    HorizontalRule,
    /// The Inhoud block: where the mail's own text goes (Div. → Inhoud).
    Inhoud {
        #[serde(default)]
        content: Vec<Node>,
    },
    /// The sender's signature (Div. → Handtekening).
    Signature,
    Image {
        attrs: ImageAttrs,
    },
    HardBreak,
    Text {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        marks: Vec<Mark>,
    },
    /// A merge field (Div. → Samenvoegveld), with the text for when its value is empty.
    MergeField {
        attrs: MergeAttrs,
    },
}

/// A mark on text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mark {
    Strong,
    Em,
    Underline,
    Strike,
    Link { attrs: LinkAttrs },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockAttrs {
    #[serde(default)]
    pub align: Align,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingAttrs {
    pub level: u8,
    #[serde(default)]
    pub align: Align,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderedAttrs {
    #[serde(default = "one")]
    pub order: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageAttrs {
    /// `cid:<name>`: an image stored with the template, sent as an inline part.
    pub src: String,
    #[serde(default)]
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkAttrs {
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeAttrs {
    pub field: MergeField,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fallback: String,
}

impl Document {
    /// The names of the stored images the document shows (`cid:<name>`), each once, in order.
    pub fn images(&self) -> Vec<&str> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
            if let Node::Image { attrs } = node
                && let Some(name) = attrs.src.strip_prefix("cid:")
                && !out.contains(&name)
            {
                out.push(name);
            }
            node.children().iter().for_each(|child| walk(child, out));
        }
        let mut out = Vec::new();
        walk(&self.0, &mut out);
        out
    }
}

impl Node {
    /// The nodes inside this one (none for a leaf).
    pub fn children(&self) -> &[Node] {
        match self {
            Node::Doc { content }
            | Node::Paragraph { content, .. }
            | Node::Heading { content, .. }
            | Node::Blockquote { content }
            | Node::BulletList { content }
            | Node::OrderedList { content, .. }
            | Node::ListItem { content }
            | Node::Inhoud { content } => content,
            Node::HorizontalRule
            | Node::Signature
            | Node::Image { .. }
            | Node::HardBreak
            | Node::Text { .. }
            | Node::MergeField { .. } => &[],
        }
    }

    /// The schema's name of the node type, as in the JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Node::Doc { .. } => "doc",
            Node::Paragraph { .. } => "paragraph",
            Node::Heading { .. } => "heading",
            Node::Blockquote { .. } => "blockquote",
            Node::BulletList { .. } => "bullet_list",
            Node::OrderedList { .. } => "ordered_list",
            Node::ListItem { .. } => "list_item",
            Node::HorizontalRule => "horizontal_rule",
            Node::Inhoud { .. } => "inhoud",
            Node::Signature => "signature",
            Node::Image { .. } => "image",
            Node::HardBreak => "hard_break",
            Node::Text { .. } => "text",
            Node::MergeField { .. } => "merge_field",
        }
    }

    /// Inline nodes live in paragraphs and headings; everything else is a block.
    pub fn is_inline(&self) -> bool {
        matches!(
            self,
            Node::Text { .. } | Node::HardBreak | Node::Image { .. } | Node::MergeField { .. }
        )
    }
}
