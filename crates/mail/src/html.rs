//! Incoming HTML made safe to show: ammonia's allow-list (no scripts, no event handlers, no
//! iframes, forms or `javascript:` links), links opening in a new tab without a referrer, and
//! remote images — tracking pixels — left out until the user asks for them. The UI shows the
//! result in a sandboxed frame without scripts as a second line of defence.

use ammonia::{Builder, UrlRelative};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Sanitised HTML and whether remote images were held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeHtml {
    pub html: String,
    pub remote_images_blocked: bool,
}

/// CSS properties kept in `style` attributes: layout and typography, nothing that loads.
const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background-color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "line-height",
    "text-align",
    "text-decoration",
    "text-transform",
    "vertical-align",
    "white-space",
    "width",
    "max-width",
    "min-width",
    "height",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-collapse",
    "border-spacing",
    "border-radius",
    "display",
    "list-style-type",
];

/// Sanitises `html`. With `allow_remote_images` false, `<img>` elements pointing at `http(s)`
/// URLs lose their `src` (and `srcset`), and `remote_images_blocked` says so.
pub fn sanitize(html: &str, allow_remote_images: bool) -> SafeHtml {
    let blocked = Arc::new(AtomicBool::new(false));
    let seen_blocked = Arc::clone(&blocked);
    let mut builder = Builder::default();
    builder
        .add_tags([
            "font", "center", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
            "colgroup", "col",
        ])
        .add_generic_attributes([
            "style",
            "align",
            "valign",
            "bgcolor",
            "width",
            "height",
            "dir",
            "border",
            "cellpadding",
            "cellspacing",
            "colspan",
            "rowspan",
            "color",
            "face",
            "size",
        ])
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect::<HashSet<_>>())
        .url_schemes(
            ["http", "https", "mailto", "tel", "cid"]
                .into_iter()
                .collect(),
        )
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .set_tag_attribute_value("a", "target", "_blank")
        .attribute_filter(move |element, attribute, value| {
            match (element, attribute) {
                ("img", "src" | "srcset") => {
                    let v = value.trim_start().to_ascii_lowercase();
                    if v.starts_with("cid:") {
                        // Inline images would need the attachment URL; shown as missing.
                        None
                    } else if allow_remote_images {
                        Some(Cow::Borrowed(value))
                    } else {
                        seen_blocked.store(true, Ordering::Relaxed);
                        None
                    }
                }
                ("a", "href") if value.trim_start().to_ascii_lowercase().starts_with("cid:") => {
                    None
                }
                _ => Some(Cow::Borrowed(value)),
            }
        });
    let html = builder.clean(html).to_string();
    SafeHtml {
        html,
        remote_images_blocked: blocked.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_frames_forms_and_handlers_are_removed() {
        let out = sanitize(
            r#"<p onclick="steal()">Hoi<script>alert(1)</script></p>
               <iframe src="https://evil.example"></iframe>
               <form action="https://evil.example"><input name=x></form>
               <a href="javascript:alert(1)">klik</a>
               <a href="https://voorbeeld.nl">site</a>
               <object data="x.swf"></object><embed src="x.swf">
               <style>body{background:url(https://t.example/p.gif)}</style>"#,
            false,
        );
        let html = out.html.to_lowercase();
        for needle in [
            "script",
            "onclick",
            "iframe",
            "form",
            "javascript:",
            "object",
            "embed",
            "<style",
            "t.example",
        ] {
            assert!(!html.contains(needle), "{needle} survived: {html}");
        }
        assert!(html.contains(r#"href="https://voorbeeld.nl""#), "{html}");
        assert!(html.contains(r#"target="_blank""#), "{html}");
        assert!(html.contains("noopener"), "{html}");
        assert!(html.contains("hoi"));
    }

    #[test]
    fn remote_images_wait_for_permission() {
        let source = r#"<img src="https://tracker.example/pixel.gif" alt="logo"><p>tekst</p>"#;
        let blocked = sanitize(source, false);
        assert!(blocked.remote_images_blocked);
        assert!(
            !blocked.html.contains("tracker.example"),
            "{}",
            blocked.html
        );
        assert!(blocked.html.contains("alt=\"logo\""));

        let allowed = sanitize(source, true);
        assert!(!allowed.remote_images_blocked);
        assert!(allowed.html.contains("https://tracker.example/pixel.gif"));

        let none = sanitize("<p>geen plaatjes</p>", false);
        assert!(!none.remote_images_blocked);
    }

    #[test]
    fn styles_keep_layout_but_not_urls() {
        let out = sanitize(
            r#"<p style="color: red; background-image: url(https://t.example/x.gif); behavior: url(x.htc)">x</p>"#,
            false,
        );
        assert!(out.html.contains("color:red"), "{}", out.html);
        assert!(!out.html.contains("t.example"), "{}", out.html);
        assert!(!out.html.contains("behavior"), "{}", out.html);
    }

    #[test]
    fn broken_html_does_not_panic() {
        for input in [
            "<",
            "<<<>>>",
            "<a href=",
            "<table><tr><td>",
            "\u{0}\u{feff}<p>",
            "<svg><script>x</script></svg>",
        ] {
            let out = sanitize(input, false);
            assert!(!out.html.contains("<script"), "{input}: {}", out.html);
        }
    }
}
