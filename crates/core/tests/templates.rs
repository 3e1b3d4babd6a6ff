//! Templates and action types through core, on both engines: who may change them, what the
//! schema refuses (with the field and the rule), versions and "Herstellen", duplicating,
//! deleting while in use, and the preview for a relation with and without values.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;

use postkamer_core::templates::{ActionTypeInput, TemplateInput};
use postkamer_core::{Core, CoreConfig, CoreError, UserInput};
use postkamer_domain::relation::{PersonInput, Salutation};
use postkamer_domain::templates::{ActionKind, TemplateRule};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{Role, User};
use postkamer_store::Store;

on_both_engines![
    superadmins_change_templates_and_everyone_uses_them,
    the_schema_refuses_with_the_field_and_the_rule,
    the_preview_fills_in_a_relation_or_shows_the_fallbacks,
    the_demo_has_a_standard_template_for_email_out_and_an_old_one,
];

const STANDAARD: &str = r#"{"type": "doc", "content": [
  {"type": "paragraph", "content": [
    {"type": "merge_field", "attrs": {"field": "relatie.aanhef"}}, {"type": "text", "text": ","}]},
  {"type": "inhoud", "content": [{"type": "paragraph"}]},
  {"type": "paragraph", "content": [
    {"type": "text", "text": "Groet, "},
    {"type": "merge_field", "attrs": {"field": "relatie.voornaam", "fallback": "relatie"}},
    {"type": "text", "text": " van "},
    {"type": "merge_field", "attrs": {"field": "gebruiker.naam"}}]}]}"#;

fn core(store: Store) -> Core {
    Core::new(
        store,
        CoreConfig::new(postkamer_core::SecretKey::generate().unwrap()),
    )
}

async fn user(core: &Core, email: &str, role: Role) -> User {
    core.bootstrap_user(
        "Demo BV",
        &UserInput {
            name: format!("{} Jansen", email.split('@').next().unwrap()),
            email: email.to_owned(),
            role: Some(role),
            password: "lang genoeg wachtwoord".into(),
        },
    )
    .await
    .unwrap()
}

fn input(name: &str, subject: &str, body: &str) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        subject: subject.into(),
        body: body.into(),
    }
}

async fn superadmins_change_templates_and_everyone_uses_them(store: Store) {
    let core = core(store);
    let admin = user(&core, "beheer@demo.nl", Role::SuperAdmin).await;
    let anna = user(&core, "anna@demo.nl", Role::Gebruiker).await;
    let standaard = core
        .create_template(
            &admin,
            &input(" Standaard ", "Voor {bedrijf.naam}", STANDAARD),
        )
        .await
        .unwrap();
    assert_eq!(
        (standaard.name.as_str(), standaard.has_inhoud),
        ("Standaard", true)
    );
    let refused = core
        .create_template(&anna, &input("Eigen", "", STANDAARD))
        .await;
    assert!(matches!(refused, Err(CoreError::Forbidden)), "{refused:?}");
    assert!(matches!(
        core.update_template(&anna, standaard.id, &input("X", "", STANDAARD))
            .await,
        Err(CoreError::Forbidden)
    ));
    assert_eq!(
        core.templates(&anna).await.unwrap().len(),
        1,
        "everyone may use them"
    );

    let email_out = core.action_types(&anna).await.unwrap()[0].clone();
    assert_eq!(email_out.kind, Some(ActionKind::EmailOut));
    let link = ActionTypeInput {
        name: email_out.name.clone(),
        active: true,
        template: Some(standaard.id),
    };
    assert!(matches!(
        core.update_action_type(&anna, email_out.id, &link).await,
        Err(CoreError::Forbidden)
    ));
    core.update_action_type(&admin, email_out.id, &link)
        .await
        .unwrap();
    assert_eq!(
        core.templates(&anna).await.unwrap()[0].used_by,
        ["E-mail uit"]
    );
    let in_use = core.delete_template(&admin, standaard.id).await;
    assert!(
        matches!(in_use, Err(CoreError::Conflict("template_in_use"))),
        "{in_use:?}"
    );

    let copy = core.duplicate_template(&admin, standaard.id).await.unwrap();
    assert_eq!(copy.name, "Standaard (kopie)");
    let again = core.duplicate_template(&admin, standaard.id).await.unwrap();
    assert_eq!(again.name, "Standaard (kopie 2)");
    let taken = core
        .update_template(&admin, again.id, &input("Standaard", "", STANDAARD))
        .await
        .unwrap_err();
    assert_eq!(field_error(taken), ("name".into(), Invalid::NameTaken));

    // Saved twice more, then the first version restored.
    let plain = r#"{"type": "doc", "content": [{"type": "paragraph"}]}"#;
    core.update_template(&admin, copy.id, &input("Kort", "", plain))
        .await
        .unwrap();
    let versions = core.template_versions(&admin, copy.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    let restored = core
        .restore_template(&admin, copy.id, versions[1].id)
        .await
        .unwrap();
    assert_eq!(
        (restored.name.as_str(), restored.has_inhoud),
        ("Standaard (kopie)", true)
    );
    assert_eq!(
        core.template_versions(&admin, copy.id).await.unwrap().len(),
        3
    );
}

fn field_error(err: CoreError) -> (String, Invalid) {
    let CoreError::Validation(errors) = err else {
        panic!("a validation error: {err:?}");
    };
    (errors.0[0].field.clone(), errors.0[0].error)
}

async fn the_schema_refuses_with_the_field_and_the_rule(store: Store) {
    let core = core(store);
    let admin = user(&core, "beheer@demo.nl", Role::SuperAdmin).await;
    let rule = |rule| Invalid::Template { rule };
    let two = r#"{"type": "doc", "content": [
        {"type": "inhoud", "content": [{"type": "paragraph"}]},
        {"type": "inhoud", "content": [{"type": "paragraph"}]}]}"#;
    let cases = [
        (
            input("A", "", two),
            "body",
            rule(TemplateRule::SecondInhoud),
        ),
        (
            input("A", "Hoi {relatie.iban}", STANDAARD),
            "subject",
            rule(TemplateRule::UnknownField),
        ),
        (
            input("A", "", "{\"type\": \"script\"}"),
            "body",
            rule(TemplateRule::NotATemplate),
        ),
        (input(" ", "", STANDAARD), "name", Invalid::Required),
    ];
    for (input, field, invalid) in cases {
        let err = core.create_template(&admin, &input).await.unwrap_err();
        assert_eq!(field_error(err), (field.to_owned(), invalid));
    }
    assert!(
        core.templates(&admin).await.unwrap().is_empty(),
        "nothing stored"
    );
}

async fn the_preview_fills_in_a_relation_or_shows_the_fallbacks(store: Store) {
    let core = core(store);
    let admin = user(&core, "beheer@demo.nl", Role::SuperAdmin).await;
    let template = core
        .create_template(
            &admin,
            &input("Standaard", "Voor {bedrijf.naam|u}", STANDAARD),
        )
        .await
        .unwrap();
    let person = |first: &str| PersonInput {
        first_name: first.into(),
        last_name: "Jansen".into(),
        tussenvoegsel: "de".into(),
        ..Default::default()
    };
    let anna = core.create_person(&admin, &person("Anna")).await.unwrap();
    let nameless = core.create_person(&admin, &person("")).await.unwrap();

    let to_anna = core
        .render_template(&admin, template.id, Some(anna.id))
        .await
        .unwrap();
    assert_eq!(to_anna.subject, "Voor u");
    assert!(
        to_anna.text.starts_with("Beste Anna,\n"),
        "{}",
        to_anna.text
    );
    assert!(
        to_anna.text.contains("Groet, Anna van beheer Jansen"),
        "{}",
        to_anna.text
    );
    let formal = core
        .render_template(&admin, template.id, Some(nameless.id))
        .await
        .unwrap();
    assert!(
        formal.text.starts_with("Geachte heer/mevrouw De Jansen,\n"),
        "{}",
        formal.text
    );
    assert!(
        formal.text.contains("Groet, relatie van"),
        "the fallback: {}",
        formal.text
    );
    assert!(formal.html.contains("Groet, relatie van"));
    // The person's salutation decides the greeting.
    let sir = PersonInput {
        salutation: Salutation::Heer,
        ..person("Piet")
    };
    let sir = core.create_person(&admin, &sir).await.unwrap();
    let to_sir = core
        .render_template(&admin, template.id, Some(sir.id))
        .await
        .unwrap();
    assert!(
        to_sir.text.starts_with("Geachte heer De Jansen,\n"),
        "{}",
        to_sir.text
    );
    assert!(matches!(
        core.render_template(
            &admin,
            template.id,
            Some(postkamer_domain::PersonId(987_654))
        )
        .await,
        Err(CoreError::NotFound)
    ));
}

async fn the_demo_has_a_standard_template_for_email_out_and_an_old_one(store: Store) {
    let core = core(store);
    postkamer_core::demo::load(&core, 2, 4).await.unwrap();
    let admin = core
        .user_by_email(
            &postkamer_domain::EmailAddress::parse(postkamer_core::demo::ADMIN.1).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    let templates = core.templates(&admin).await.unwrap();
    let names: Vec<_> = templates
        .iter()
        .map(|t| (t.name.as_str(), t.has_inhoud, t.used_by.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("Oud sjabloon", false, vec![]),
            ("Standaard", true, vec!["E-mail uit".to_owned()])
        ]
    );
}
