//! The schema's refusals: every one with its reason, nothing accepted half.

#![allow(clippy::unwrap_used)]

use postkamer_templates::validate::{Invalid, MAX_DEPTH};
use postkamer_templates::{Node, parse};

fn doc(content: &str) -> String {
    format!(r#"{{"type": "doc", "content": [{content}]}}"#)
}

fn para(inline: &str) -> String {
    format!(r#"{{"type": "paragraph", "content": [{inline}]}}"#)
}

fn text(t: &str) -> String {
    format!(r#"{{"type": "text", "text": "{t}"}}"#)
}

fn code(json: &str) -> &'static str {
    parse(json).unwrap_err().code()
}

#[test]
fn a_plain_template_with_one_inhoud_block_is_accepted() {
    let inhoud = format!(r#"{{"type": "inhoud", "content": [{}]}}"#, para(&text("x")));
    let parsed = parse(&doc(&format!("{},{inhoud}", para(&text("Beste")))));
    let Node::Doc { content } = parsed.unwrap().0 else {
        panic!("a doc");
    };
    assert_eq!(content.len(), 2);
}

#[test]
fn unknown_nodes_marks_attributes_and_fields_are_refused_by_name() {
    let unknown = parse(&doc(r#"{"type": "iframe"}"#)).unwrap_err();
    assert_eq!(unknown.code(), "not_a_template");
    assert!(unknown.to_string().contains("iframe"), "{unknown}");
    let mark = r#"{"type": "text", "text": "x", "marks": [{"type": "script"}]}"#;
    assert_eq!(code(&doc(&para(mark))), "not_a_template");
    let attr = r#"{"type": "paragraph", "attrs": {"align": "left", "onclick": "x"}}"#;
    assert_eq!(code(&doc(attr)), "not_a_template");
    let field = r#"{"type": "merge_field", "attrs": {"field": "relatie.iban"}}"#;
    assert_eq!(code(&doc(&para(field))), "not_a_template");
    assert_eq!(code("[1, 2"), "not_a_template");
    assert_eq!(code(&para(&text("x"))), "not_a_document");
}

#[test]
fn a_second_inhoud_block_and_a_nested_one_are_refused() {
    let inhoud = format!(r#"{{"type": "inhoud", "content": [{}]}}"#, para(&text("x")));
    assert_eq!(
        parse(&doc(&format!("{inhoud},{inhoud}"))).unwrap_err(),
        Invalid::SecondInhoud
    );
    let quoted = format!(r#"{{"type": "blockquote", "content": [{inhoud}]}}"#);
    let err = parse(&doc(&quoted)).unwrap_err();
    assert_eq!(err.code(), "misplaced_node");
    assert_eq!(
        err.to_string(),
        "Een Inhoud-blok kan niet in een citaat staan."
    );
    let nested = format!(r#"{{"type": "inhoud", "content": [{inhoud}]}}"#);
    assert_eq!(code(&doc(&nested)), "misplaced_node");
    assert_eq!(
        code(&doc(r#"{"type": "inhoud", "content": []}"#)),
        "empty_node"
    );
}

#[test]
fn nodes_stand_only_where_the_schema_lets_them() {
    assert_eq!(code(&doc(&text("los"))), "misplaced_node");
    assert_eq!(code(&doc(&para(&para(&text("x"))))), "misplaced_node");
    let item_in_doc = format!(
        r#"{{"type": "list_item", "content": [{}]}}"#,
        para(&text("x"))
    );
    assert_eq!(code(&doc(&item_in_doc)), "misplaced_node");
    let para_in_list = format!(
        r#"{{"type": "bullet_list", "content": [{}]}}"#,
        para(&text("x"))
    );
    assert_eq!(code(&doc(&para_in_list)), "misplaced_node");
    assert_eq!(
        code(&doc(r#"{"type": "bullet_list", "content": []}"#)),
        "empty_node"
    );
    assert_eq!(code(&doc(&para(&text("")))), "empty_node");
    assert_eq!(code(&doc("")), "empty_node");
    let heading = r#"{"type": "heading", "attrs": {"level": 4}}"#;
    assert_eq!(parse(&doc(heading)).unwrap_err(), Invalid::HeadingLevel(4));
}

#[test]
fn unsafe_links_and_images_from_elsewhere_are_refused() {
    for href in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "/relative",
        "https://voor beeld.nl",
        "https:",
        "mailto:",
    ] {
        let link = format!(
            r#"{{"type": "text", "text": "x", "marks": [{{"type": "link", "attrs": {{"href": "{href}"}}}}]}}"#
        );
        assert_eq!(
            parse(&doc(&para(&link))).unwrap_err(),
            Invalid::UnsafeLink(href.to_owned()),
            "{href}"
        );
    }
    for href in [
        "https://voorbeeld.nl/x?y=1",
        "HTTP://x.nl",
        "mailto:a@b.nl",
        "tel:+31201234567",
    ] {
        let link = format!(
            r#"{{"type": "text", "text": "x", "marks": [{{"type": "link", "attrs": {{"href": "{href}"}}}}]}}"#
        );
        assert!(parse(&doc(&para(&link))).is_ok(), "{href}");
    }
    for src in [
        "https://tracker.example/p.gif",
        "data:image/png;base64,AAAA",
        "cid:",
        "cid:../x",
    ] {
        let image = format!(r#"{{"type": "image", "attrs": {{"src": "{src}"}}}}"#);
        assert_eq!(code(&doc(&para(&image))), "image_source", "{src}");
    }
}

#[test]
fn too_deep_too_large_and_too_long_fallbacks_are_refused() {
    let mut nested = para(&text("diep"));
    for _ in 0..MAX_DEPTH {
        nested = format!(r#"{{"type": "blockquote", "content": [{nested}]}}"#);
    }
    assert_eq!(code(&doc(&nested)), "too_deep");
    let big = text(&"x".repeat(1 << 20));
    assert_eq!(code(&doc(&para(&big))), "too_large");
    let fallback = "y".repeat(201);
    let field = format!(
        r#"{{"type": "merge_field", "attrs": {{"field": "relatie.voornaam", "fallback": "{fallback}"}}}}"#
    );
    assert_eq!(code(&doc(&para(&field))), "fallback_too_long");
}
