//! Templates with their versions, and action types with the template they open with.

use crate::fixtures::*;
use postkamer_domain::templates::ActionKind;
use postkamer_domain::{ManualClock, Role};
use postkamer_store::templates::{ActionTypeWrite, TemplateWrite, VERSIONS_KEPT};
use postkamer_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

fn write<'a>(name: &'a str, body: &'a str) -> TemplateWrite<'a> {
    TemplateWrite {
        name,
        subject: "Offerte voor {bedrijf.naam}",
        body,
        has_inhoud: true,
    }
}

pub async fn templates_keep_their_versions_and_show_who_uses_them(store: Store) {
    let clock = Arc::new(ManualClock::at(1_800_000_000_000));
    let store = store.with_clock(clock.clone());
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let admin = user(&store, org, "Beheerder", "beheer@org.nl", Role::SuperAdmin).await;
    let actions = store.action_types(org).await.unwrap();
    let kinds: Vec<_> = actions.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        ActionKind::ALL.map(Some),
        "every organisation has the six"
    );
    assert_eq!(actions[0].name, "E-mail uit");

    let standaard = store
        .create_template(org, admin.id, &write("Standaard", "{}"))
        .await
        .unwrap();
    assert_eq!(standaard.updated_by.as_deref(), Some("Beheerder"));
    let taken = store
        .create_template(org, admin.id, &write("Standaard", "{}"))
        .await;
    assert!(
        matches!(taken, Err(StoreError::AlreadyExists("name"))),
        "{taken:?}"
    );
    store
        .create_template(other, admin.id, &write("Standaard", "{}"))
        .await
        .expect("another organisation may use the name");

    let email_out = actions[0].id;
    let link = |template| ActionTypeWrite {
        name: "E-mail uit",
        active: true,
        template,
    };
    let linked = store
        .update_action_type(org, email_out, &link(Some(standaard.id)))
        .await
        .unwrap();
    assert_eq!(
        linked.template.map(|t| t.name),
        Some("Standaard".to_owned())
    );
    let list = store.templates(org).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].used_by, vec!["E-mail uit".to_owned()]);
    let refused = store.delete_template(org, standaard.id).await;
    assert!(
        matches!(refused, Err(StoreError::InUse("template_in_use"))),
        "{refused:?}"
    );

    for n in 0..VERSIONS_KEPT + 2 {
        clock.advance(Duration::from_secs(60));
        let body = format!("{{\"v\": {n}}}");
        store
            .update_template(org, standaard.id, admin.id, &write("Standaard", &body))
            .await
            .unwrap();
    }
    let versions = store.template_versions(org, standaard.id).await.unwrap();
    assert_eq!(versions.len() as i64, VERSIONS_KEPT, "the oldest go");
    assert_eq!(
        versions[0].body,
        format!("{{\"v\": {}}}", VERSIONS_KEPT + 1)
    );
    assert!(versions[0].saved_at > versions[1].saved_at, "newest first");

    // Another organisation's template is not there, for reading, linking or deleting.
    assert_not_found(store.template(other, standaard.id).await);
    assert_not_found(store.template_versions(other, standaard.id).await);
    let theirs = store.action_types(other).await.unwrap()[0].id;
    let foreign = store
        .update_action_type(other, theirs, &link(Some(standaard.id)))
        .await;
    assert!(
        matches!(foreign, Err(StoreError::UnknownReference("template"))),
        "{foreign:?}"
    );
    assert_not_found(store.delete_template(other, standaard.id).await);

    store
        .update_action_type(org, email_out, &link(None))
        .await
        .unwrap();
    store.delete_template(org, standaard.id).await.unwrap();
    assert!(store.templates(org).await.unwrap().is_empty());
}

pub async fn action_types_are_added_renamed_and_switched_off(store: Store) {
    let org = org(&store, "Org").await;
    let bezoek = store.create_action_type(org, "Bezoek").await.unwrap();
    assert_eq!((bezoek.kind, bezoek.position), (None, 7));
    let taken = store.create_action_type(org, "Telefoon").await;
    assert!(
        matches!(taken, Err(StoreError::AlreadyExists("name"))),
        "{taken:?}"
    );
    let renamed = store
        .update_action_type(
            org,
            bezoek.id,
            &ActionTypeWrite {
                name: "Klantbezoek",
                active: false,
                template: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.active),
        ("Klantbezoek", false)
    );
    let missing = postkamer_domain::ActionTypeId(987_654);
    let write = ActionTypeWrite {
        name: "X",
        active: true,
        template: None,
    };
    assert_not_found(store.update_action_type(org, missing, &write).await);
    store.ensure_action_types(org).await.unwrap();
    assert_eq!(
        store.action_types(org).await.unwrap().len(),
        7,
        "idempotent"
    );
}

pub async fn template_images_are_kept_once_per_organisation(store: Store) {
    use postkamer_domain::templates::TemplateImage;
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let admin = user(&store, org, "Beheerder", "beheer@org.nl", Role::SuperAdmin).await;
    let logo = TemplateImage {
        content_type: "image/png".into(),
        bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2, 255],
    };
    store
        .save_template_image(org, admin.id, "img-aa.png", &logo)
        .await
        .unwrap();
    let again = TemplateImage {
        content_type: "image/gif".into(),
        bytes: vec![1],
    };
    store
        .save_template_image(org, admin.id, "img-aa.png", &again)
        .await
        .expect("the same name again is the same image: nothing changes");
    assert_eq!(store.template_image(org, "img-aa.png").await.unwrap(), logo);
    assert_not_found(store.template_image(other, "img-aa.png").await);
    assert_eq!(
        store
            .missing_template_images(org, &["img-aa.png", "img-bb.png"])
            .await
            .unwrap(),
        ["img-bb.png"]
    );
    assert_eq!(
        store
            .missing_template_images(other, &["img-aa.png"])
            .await
            .unwrap(),
        ["img-aa.png"],
        "another organisation's images are not there"
    );
}
