use super::*;

fn person() -> PersonInput {
    PersonInput {
        first_name: "Jan".into(),
        tussenvoegsel: " van  der ".into(),
        last_name: "Berg".into(),
        emails: vec![
            EmailInput {
                address: "Jan@Berg.nl".into(),
                primary: false,
            },
            EmailInput {
                address: "j.vdberg@werk.nl".into(),
                primary: false,
            },
        ],
        ..Default::default()
    }
}

#[test]
fn first_address_becomes_primary_when_none_is() {
    let p = person().validate().unwrap();
    assert_eq!(p.display_name(), "Jan van der Berg");
    assert_eq!(p.primary_email().unwrap().as_str(), "jan@berg.nl");
    assert_eq!(p.emails.iter().filter(|e| e.primary).count(), 1);
}

#[test]
fn duplicate_invalid_and_double_primary_addresses_are_reported() {
    let mut input = person();
    input.emails = vec![
        EmailInput {
            address: "a@b.nl".into(),
            primary: true,
        },
        EmailInput {
            address: "A@B.NL".into(),
            primary: false,
        },
        EmailInput {
            address: "geen-adres".into(),
            primary: false,
        },
        EmailInput {
            address: "c@d.nl".into(),
            primary: true,
        },
    ];
    input.last_name = String::new();
    let e = input.validate().unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.error)).collect();
    assert_eq!(
        fields,
        [
            ("last_name", Invalid::Required),
            ("emails[1].address", Invalid::DuplicateEmail),
            ("emails[2].address", Invalid::Email),
            ("emails[3].primary", Invalid::SeveralPrimary),
        ]
    );
    assert_eq!(
        e.message_for("emails[2].address", crate::Locale::Nl)
            .as_deref(),
        Some("Dit is geen geldig e-mailadres.")
    );
}

#[test]
fn html_and_sql_in_names_are_plain_text() {
    let mut input = person();
    input.last_name = "<script>alert(1)</script>'; DROP TABLE persons; --".into();
    assert_eq!(input.validate().unwrap().last_name, input.last_name);
    input.last_name = "Berg\u{0}".into();
    assert!(input.validate().is_err());
}

#[test]
fn greetings_follow_the_salutation_and_dutch_capitals() {
    let anna = (Some("Anna"), None, "Jansen");
    let jan = (Some("Jan"), Some("van der"), "Berg");
    let nameless = (None, Some("de"), "Vries");
    let cases = [
        (Salutation::Automatisch, anna, "Beste Anna"),
        (
            Salutation::Automatisch,
            nameless,
            "Geachte heer/mevrouw De Vries",
        ),
        (Salutation::Informeel, jan, "Beste Jan"),
        (Salutation::Informeel, nameless, "Beste De Vries"),
        (Salutation::Heer, jan, "Geachte heer Van der Berg"),
        (Salutation::Mevrouw, anna, "Geachte mevrouw Jansen"),
        (
            Salutation::Mevrouw,
            (Some("Ölga"), Some("ten"), "Brink"),
            "Geachte mevrouw Ten Brink",
        ),
        (Salutation::Neutraal, jan, "Geachte Jan van der Berg"),
        (Salutation::Neutraal, nameless, "Geachte De Vries"),
        (
            Salutation::Heer,
            (Some("  "), Some("  "), " Bakker "),
            "Geachte heer Bakker",
        ),
    ];
    for (salutation, (first, particle, last), expected) in cases {
        assert_eq!(
            salutation.greeting(first, particle, last),
            expected,
            "{salutation:?}"
        );
    }
}

#[test]
fn salutations_round_trip_and_default_to_automatic() {
    for salutation in Salutation::ALL {
        assert_eq!(Salutation::parse(salutation.as_str()), salutation);
        let json = serde_json::to_string(&salutation).unwrap();
        assert_eq!(json, format!("\"{}\"", salutation.as_str()));
    }
    assert_eq!(Salutation::parse("mevr."), Salutation::Automatisch);
    let input: PersonInput = serde_json::from_str(r#"{"last_name": "Jansen"}"#).unwrap();
    assert_eq!(input.salutation, Salutation::Automatisch);
    let refused = serde_json::from_str::<PersonInput>(r#"{"last_name": "J", "salutation": "sir"}"#);
    assert!(refused.is_err());
}
