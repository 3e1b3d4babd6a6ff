//! A checked document as mail: HTML with inline styles only (mail programs drop `<style>` and
//! classes), images as `cid:` references to the inline parts, and the same text as plain text
//! (lists as "- " and "1. ", quotes as "> ", links as "tekst <url>"). The Inhoud block is its
//! content: its frame and label are the editor's only.

use std::collections::HashMap;
use std::fmt::Write;

use postkamer_domain::merge::MergeField;

use crate::doc::{Align, Document, LinkAttrs, Mark, Node};

/// What fills a template: the merge fields' values (an absent or empty one shows its
/// fallback) and the sender's signature, as HTML (already safe: made by us) and as text.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub fields: HashMap<MergeField, String>,
    pub signature_html: String,
    pub signature_text: String,
    /// Where the HTML takes a stored image from instead of its `cid:` part, by name (the
    /// preview in the browser shows them as `data:` URLs); none: `cid:<name>`, as in the mail.
    pub image_sources: HashMap<String, String>,
}

impl Values {
    pub(crate) fn field<'a>(&'a self, field: MergeField, fallback: &'a str) -> &'a str {
        match self.fields.get(&field) {
            Some(value) if !value.trim().is_empty() => value,
            _ => fallback,
        }
    }
}

const WRAPPER: &str =
    "font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f1f1f";
const PARAGRAPH: &str = "margin:0 0 1em 0";
const TIGHT: &str = "margin:0";
const QUOTE: &str =
    "margin:0 0 1em 0;padding:0 0 0 1em;border-left:3px solid #c0c0c0;color:#555555";
const LIST: &str = "margin:0 0 1em 0;padding:0 0 0 1.5em";
const RULE: &str = "border:none;border-top:1px solid #c0c0c0;margin:1em 0";
const LINK: &str = "color:#1a5fb4;text-decoration:underline";

/// The merge fields of the subject and the document that would come out empty for `values`
/// (no value and no fallback: "Beste ," would go out), each once, in the order they appear.
pub fn unfilled(subject: &crate::Subject, doc: &Document, values: &Values) -> Vec<MergeField> {
    fn walk(node: &Node, values: &Values, out: &mut Vec<MergeField>) {
        if let Node::MergeField { attrs } = node
            && values.field(attrs.field, &attrs.fallback).trim().is_empty()
            && !out.contains(&attrs.field)
        {
            out.push(attrs.field);
        }
        node.children()
            .iter()
            .for_each(|child| walk(child, values, out));
    }
    let mut out: Vec<MergeField> = Vec::new();
    for (field, fallback) in subject.fields_with_fallback() {
        if values.field(field, fallback).trim().is_empty() && !out.contains(&field) {
            out.push(field);
        }
    }
    walk(&doc.0, values, &mut out);
    out
}

/// The document as the HTML part of a mail.
pub fn html(doc: &Document, values: &Values) -> String {
    let mut out = format!("<div style=\"{WRAPPER}\">\n");
    // A line per top-level block keeps the part's lines short for the transfer encoding.
    for node in doc.0.children() {
        block_html(&mut out, node, values, false);
        out.push('\n');
    }
    out.push_str("</div>");
    out
}

fn block_html(out: &mut String, node: &Node, values: &Values, tight: bool) {
    let margin = if tight { TIGHT } else { PARAGRAPH };
    match node {
        Node::Paragraph { attrs, content } => {
            let align = attrs.map(|a| a.align).unwrap_or_default();
            let _ = write!(out, "<p style=\"{margin}{}\">", align_style(align));
            if content.is_empty() {
                out.push_str("<br>");
            }
            inline_html(out, content, values);
            out.push_str("</p>");
        }
        Node::Heading { attrs, content } => {
            let size = match attrs.level {
                1 => 22,
                2 => 18,
                _ => 16,
            };
            let level = attrs.level.clamp(1, 3);
            let _ = write!(
                out,
                "<h{level} style=\"margin:0 0 0.5em 0;font-size:{size}px{}\">",
                align_style(attrs.align)
            );
            inline_html(out, content, values);
            let _ = write!(out, "</h{level}>");
        }
        Node::Blockquote { content } => {
            let _ = write!(out, "<blockquote style=\"{QUOTE}\">");
            content
                .iter()
                .for_each(|n| block_html(out, n, values, false));
            out.push_str("</blockquote>");
        }
        Node::BulletList { content } => list_html(out, "ul", "", content, values),
        Node::OrderedList { attrs, content } => {
            let start = match attrs.map(|a| a.order) {
                Some(order) if order != 1 => format!(" start=\"{order}\""),
                _ => String::new(),
            };
            list_html(out, "ol", &start, content, values);
        }
        Node::ListItem { content } => {
            out.push_str("<li>");
            content
                .iter()
                .for_each(|n| block_html(out, n, values, true));
            out.push_str("</li>");
        }
        Node::HorizontalRule => {
            let _ = write!(out, "<hr style=\"{RULE}\">");
        }
        Node::Inhoud { content } | Node::Doc { content } => {
            content
                .iter()
                .for_each(|n| block_html(out, n, values, tight));
        }
        Node::Signature => out.push_str(&values.signature_html),
        // Inline nodes stand in paragraphs; the check keeps them there.
        inline => inline_html(out, std::slice::from_ref(inline), values),
    }
}

fn list_html(out: &mut String, tag: &str, start: &str, items: &[Node], values: &Values) {
    let _ = write!(out, "<{tag}{start} style=\"{LIST}\">");
    items.iter().for_each(|n| block_html(out, n, values, true));
    let _ = write!(out, "</{tag}>");
}

fn inline_html(out: &mut String, nodes: &[Node], values: &Values) {
    for node in nodes {
        match node {
            Node::Text { text, marks } => {
                for mark in marks {
                    out.push_str(&open_mark(mark));
                }
                escape_into(out, text);
                for mark in marks.iter().rev() {
                    out.push_str(close_mark(mark));
                }
            }
            Node::HardBreak => out.push_str("<br>"),
            Node::Image { attrs } => {
                let stored = attrs.src.strip_prefix("cid:").unwrap_or_default();
                let src = values.image_sources.get(stored).unwrap_or(&attrs.src);
                out.push_str("<img src=\"");
                escape_into(out, src);
                out.push_str("\" alt=\"");
                escape_into(out, &attrs.alt);
                out.push_str("\" style=\"max-width:100%;height:auto\">");
            }
            Node::MergeField { attrs } => {
                escape_into(out, values.field(attrs.field, &attrs.fallback));
            }
            block => block_html(out, block, values, true),
        }
    }
}

fn open_mark(mark: &Mark) -> String {
    match mark {
        Mark::Strong => "<strong>".into(),
        Mark::Em => "<em>".into(),
        Mark::Underline => "<u>".into(),
        Mark::Strike => "<s>".into(),
        Mark::Link { attrs } => {
            let mut a = String::from("<a href=\"");
            escape_into(&mut a, &attrs.href);
            a.push('"');
            if let Some(title) = &attrs.title {
                a.push_str(" title=\"");
                escape_into(&mut a, title);
                a.push('"');
            }
            let _ = write!(a, " style=\"{LINK}\">");
            a
        }
    }
}

fn close_mark(mark: &Mark) -> &'static str {
    match mark {
        Mark::Strong => "</strong>",
        Mark::Em => "</em>",
        Mark::Underline => "</u>",
        Mark::Strike => "</s>",
        Mark::Link { .. } => "</a>",
    }
}

fn align_style(align: Align) -> &'static str {
    match align {
        Align::Left => "",
        Align::Center => ";text-align:center",
        Align::Right => ";text-align:right",
        Align::Justify => ";text-align:justify",
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The document as the text/plain part of a mail.
pub fn text(doc: &Document, values: &Values) -> String {
    let mut blocks = Vec::new();
    for node in doc.0.children() {
        block_text(&mut blocks, node, values);
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// Appends the text of `node` as one or more blocks (blank lines between them).
fn block_text(blocks: &mut Vec<String>, node: &Node, values: &Values) {
    match node {
        Node::Paragraph { content, .. } | Node::Heading { content, .. } => {
            blocks.push(inline_text(content, values));
        }
        Node::Blockquote { content } => {
            let inner = blocks_text(content, values);
            blocks.push(prefix_lines(&inner, "> ", "> "));
        }
        Node::BulletList { content } => blocks.push(list_text(content, values, |_| "- ".into())),
        Node::OrderedList { attrs, content } => {
            let first = attrs.map_or(1, |a| a.order);
            blocks.push(list_text(content, values, |i| {
                format!("{}. ", u64::from(first) + i as u64)
            }));
        }
        Node::HorizontalRule => blocks.push("----------".into()),
        Node::Inhoud { content } | Node::Doc { content } | Node::ListItem { content } => {
            content.iter().for_each(|n| block_text(blocks, n, values));
        }
        Node::Signature => {
            if !values.signature_text.is_empty() {
                blocks.push(values.signature_text.trim_end().to_owned());
            }
        }
        inline => blocks.push(inline_text(std::slice::from_ref(inline), values)),
    }
}

fn blocks_text(nodes: &[Node], values: &Values) -> String {
    let mut blocks = Vec::new();
    nodes
        .iter()
        .for_each(|n| block_text(&mut blocks, n, values));
    blocks.join("\n\n")
}

fn list_text(items: &[Node], values: &Values, bullet: impl Fn(usize) -> String) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut lines = Vec::new();
            item.children()
                .iter()
                .for_each(|n| block_text(&mut lines, n, values));
            let marker = bullet(i);
            let indent = " ".repeat(marker.chars().count());
            prefix_lines(&lines.join("\n"), &marker, &indent)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `first` before the first line, `rest` before every other (trailing spaces of empty lines
/// dropped).
fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let prefix = if i == 0 { first } else { rest };
            format!("{prefix}{line}").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Inline content as text; a link's text is followed by its URL ("tekst <url>") unless the
/// text is the URL.
fn inline_text(nodes: &[Node], values: &Values) -> String {
    let mut out = String::new();
    let mut link: Option<(&LinkAttrs, String)> = None;
    for node in nodes {
        let href = match node {
            Node::Text { marks, .. } => marks.iter().find_map(|m| match m {
                Mark::Link { attrs } => Some(attrs),
                _ => None,
            }),
            _ => None,
        };
        if link.as_ref().map(|(l, _)| &l.href) != href.map(|h| &h.href) {
            flush_link(&mut out, link.take());
            link = href.map(|h| (h, String::new()));
        }
        let piece = match node {
            Node::Text { text, .. } => text.clone(),
            Node::HardBreak => "\n".into(),
            Node::Image { attrs } if !attrs.alt.is_empty() => format!("[{}]", attrs.alt),
            Node::MergeField { attrs } => values.field(attrs.field, &attrs.fallback).to_owned(),
            _ => String::new(),
        };
        match &mut link {
            Some((_, text)) => text.push_str(&piece),
            None => out.push_str(&piece),
        }
    }
    flush_link(&mut out, link);
    out
}

fn flush_link(out: &mut String, link: Option<(&LinkAttrs, String)>) {
    let Some((attrs, text)) = link else {
        return;
    };
    let bare = attrs.href.strip_prefix("mailto:").unwrap_or(&attrs.href);
    if text == attrs.href || text == bare {
        out.push_str(&text);
    } else {
        let _ = write!(out, "{text} <{}>", attrs.href);
    }
}
