//! Rendering snapshots: a template with every node and mark, Dutch characters, merge fields
//! with and without their values.

#![allow(clippy::unwrap_used)]

use postkamer_domain::merge::MergeField;
use postkamer_templates::{Values, html, parse, text};

/// Every node and mark of the schema, as the editor writes them.
const EVERYTHING: &str = r#"{"type": "doc", "content": [
  {"type": "paragraph", "content": [
    {"type": "merge_field", "attrs": {"field": "relatie.aanhef", "fallback": "Geachte relatie"}},
    {"type": "text", "text": ","}]},
  {"type": "inhoud", "content": [
    {"type": "paragraph", "content": [
      {"type": "text", "text": "Hierbij de offerte voor "},
      {"type": "merge_field", "attrs": {"field": "bedrijf.naam"}},
      {"type": "text", "text": " in "},
      {"type": "merge_field", "attrs": {"field": "bedrijf.plaats", "fallback": "uw plaats"}},
      {"type": "text", "text": "."}]}]},
  {"type": "heading", "attrs": {"level": 2, "align": "center"}, "content": [
    {"type": "text", "text": "Één café-overzicht & \"prijzen\" <2026>"}]},
  {"type": "paragraph", "attrs": {"align": "right"}, "content": [
    {"type": "text", "text": "vet", "marks": [{"type": "strong"}]},
    {"type": "text", "text": " "},
    {"type": "text", "text": "schuin", "marks": [{"type": "em"}]},
    {"type": "text", "text": " "},
    {"type": "text", "text": "onderstreept", "marks": [{"type": "underline"}]},
    {"type": "text", "text": " "},
    {"type": "text", "text": "doorgehaald", "marks": [{"type": "strike"}]},
    {"type": "hard_break"},
    {"type": "text", "text": "onze site", "marks": [{"type": "link", "attrs": {"href": "https://voorbeeld.nl/a?b=1&c=2"}}]},
    {"type": "text", "text": " of "},
    {"type": "text", "text": "info@voorbeeld.nl", "marks": [{"type": "link", "attrs": {"href": "mailto:info@voorbeeld.nl"}}]}]},
  {"type": "bullet_list", "content": [
    {"type": "list_item", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "eerste"}]}]},
    {"type": "list_item", "content": [
      {"type": "paragraph", "content": [{"type": "text", "text": "tweede"}]},
      {"type": "ordered_list", "attrs": {"order": 3}, "content": [
        {"type": "list_item", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "drie"}]}]},
        {"type": "list_item", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "vier"}]}]}]}]}]},
  {"type": "blockquote", "content": [
    {"type": "paragraph", "content": [{"type": "text", "text": "Geciteerd, met "}, {"type": "text", "text": "nadruk", "marks": [{"type": "strong"}]}]},
    {"type": "paragraph", "content": [{"type": "text", "text": "tweede alinea"}]}]},
  {"type": "paragraph"},
  {"type": "paragraph", "content": [{"type": "image", "attrs": {"src": "cid:logo.png", "alt": "Logo Demo BV"}}]},
  {"type": "horizontal_rule"},
  {"type": "signature"},
  {"type": "paragraph", "content": [
    {"type": "merge_field", "attrs": {"field": "gebruiker.naam"}},
    {"type": "text", "text": " — "},
    {"type": "merge_field", "attrs": {"field": "datum.vandaag"}}]}
]}"#;

fn filled() -> Values {
    let mut values = Values {
        signature_html: "<p style=\"margin:0\">Met vriendelijke groet,<br>Jan de Vries</p>".into(),
        signature_text: "Met vriendelijke groet,\nJan de Vries\n".into(),
        ..Values::default()
    };
    for (field, value) in [
        (MergeField::Aanhef, "Beste Anna"),
        (MergeField::BedrijfNaam, "Bakkerij 't Hoekje"),
        (MergeField::BedrijfPlaats, "'s-Hertogenbosch"),
        (MergeField::GebruikerNaam, "Jan de Vries"),
        (MergeField::Vandaag, "7 december 2026"),
    ] {
        values.fields.insert(field, value.to_owned());
    }
    values
}

#[test]
fn every_node_and_mark_as_html() {
    let doc = parse(EVERYTHING).unwrap();
    insta::assert_snapshot!(html(&doc, &filled()));
}

#[test]
fn every_node_and_mark_as_text() {
    let doc = parse(EVERYTHING).unwrap();
    insta::assert_snapshot!(text(&doc, &filled()));
}

#[test]
fn merge_fields_without_values_show_their_fallback_or_nothing() {
    let doc = parse(EVERYTHING).unwrap();
    let empty = Values {
        fields: [(MergeField::Aanhef, "  ".to_owned())].into(),
        ..Values::default()
    };
    let text = text(&doc, &empty);
    assert!(text.starts_with("Geachte relatie,\n"), "{text}");
    assert!(
        text.contains("Hierbij de offerte voor  in uw plaats."),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn text_that_looks_like_html_stays_text() {
    let doc = parse(
        r#"{"type": "doc", "content": [{"type": "paragraph", "content": [
            {"type": "text", "text": "<script>alert(1)</script>"},
            {"type": "merge_field", "attrs": {"field": "relatie.voornaam"}}]}]}"#,
    )
    .unwrap();
    let values = Values {
        fields: [(
            MergeField::Voornaam,
            "<img src=x onerror=alert(1)>".to_owned(),
        )]
        .into(),
        ..Values::default()
    };
    let html = html(&doc, &values);
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")
    );
}

#[test]
fn stored_images_are_listed_once_and_shown_from_where_the_values_say() {
    let doc = parse(
        r#"{"type": "doc", "content": [{"type": "paragraph", "content": [
            {"type": "image", "attrs": {"src": "cid:img-0123abcd.png", "alt": "Logo"}},
            {"type": "image", "attrs": {"src": "cid:img-0123abcd.png", "alt": "Nog eens"}},
            {"type": "image", "attrs": {"src": "cid:img-ffff.gif"}}]}]}"#,
    )
    .unwrap();
    assert_eq!(doc.images(), ["img-0123abcd.png", "img-ffff.gif"]);
    let mail = html(&doc, &Values::default());
    assert!(
        mail.contains(r#"<img src="cid:img-0123abcd.png" alt="Logo""#),
        "{mail}"
    );
    let preview = Values {
        image_sources: [(
            "img-0123abcd.png".to_owned(),
            "data:image/png;base64,iVBORw0K".to_owned(),
        )]
        .into(),
        ..Values::default()
    };
    let shown = html(&doc, &preview);
    assert!(
        shown.contains(r#"<img src="data:image/png;base64,iVBORw0K" alt="Logo""#),
        "{shown}"
    );
    assert!(shown.contains(r#"src="cid:img-ffff.gif""#), "{shown}");
}

/// The pre-send check: the fields that would come out empty, each once, subject first; a value
/// or a fallback fills a field.
#[test]
fn unfilled_fields_are_the_empty_ones_without_a_fallback() {
    let doc = parse(EVERYTHING).unwrap();
    let subject = postkamer_templates::Subject::parse(
        "Offerte {bedrijf.naam} voor {relatie.voornaam|u} {relatie.achternaam}",
    )
    .unwrap();
    let none = Values::default();
    assert_eq!(
        postkamer_templates::unfilled(&subject, &doc, &none),
        [
            MergeField::BedrijfNaam,
            MergeField::Achternaam,
            MergeField::GebruikerNaam,
            MergeField::Vandaag
        ],
        "aanhef and plaats have fallbacks; bedrijf.naam is listed once"
    );
    let mut filled = Values::default();
    filled
        .fields
        .insert(MergeField::BedrijfNaam, "Bakkerij Jansen".to_owned());
    filled
        .fields
        .insert(MergeField::Achternaam, "   ".to_owned());
    filled
        .fields
        .insert(MergeField::GebruikerNaam, "Anna".to_owned());
    filled
        .fields
        .insert(MergeField::Vandaag, "8 december 2026".to_owned());
    assert_eq!(
        postkamer_templates::unfilled(&subject, &doc, &filled),
        [MergeField::Achternaam],
        "blank is empty"
    );
}
