//! Migrations, organisations and users.

use crate::fixtures::{assert_not_found, email, new_user, org, user};
use postkamer_domain::{Locale, Role, UserId};
use postkamer_store::{Store, StoreError};

pub async fn migrations_are_idempotent_and_ping_works(store: Store) {
    store.ping().await.unwrap();
    let acme = org(&store, "Acme").await;
    // The harness already migrated: running again (twice) changes nothing and keeps the data.
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert_eq!(store.org(acme).await.unwrap().name, "Acme");
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::SuperAdmin).await;
    assert_eq!(store.user(acme, u.id).await.unwrap(), u);
}

pub async fn orgs_are_created_and_found(store: Store) {
    let a = store.create_org("Bakkerij Jansen").await.unwrap();
    let b = store.create_org("Garage Hofman").await.unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(a.name, "Bakkerij Jansen");
    assert_eq!(store.org(a.id).await.unwrap(), a);
    assert_eq!(store.org(b.id).await.unwrap(), b);
    assert_eq!(store.org_by_name("Garage Hofman").await.unwrap(), Some(b));
    assert_eq!(store.org_by_name("garage hofman").await.unwrap(), None);
    assert_eq!(store.org_by_name("Niemand").await.unwrap(), None);
    assert_not_found(store.org(postkamer_domain::OrgId(a.id.0 + 1000)).await);
}

pub async fn users_are_created_with_unique_email(store: Store) {
    let acme = org(&store, "Acme").await;
    let other = org(&store, "Other").await;
    let u = store
        .create_user(&new_user(
            acme,
            "Jan de Vries",
            " Jan@Acme.NL ",
            Role::Gebruiker,
        ))
        .await
        .unwrap();
    assert_eq!(u.org_id, acme);
    assert_eq!(u.name, "Jan de Vries");
    assert_eq!(u.email.as_str(), "jan@acme.nl");
    assert_eq!(u.role, Role::Gebruiker);
    assert!(u.active);
    assert_eq!(u.locale, Locale::Nl);
    assert_eq!(store.user(acme, u.id).await.unwrap(), u);

    // The same address, however spelled, in the same or another organisation.
    for (org_id, spelling) in [(acme, "jan@acme.nl"), (other, "JAN@acme.nl")] {
        match store
            .create_user(&new_user(org_id, "Copy", spelling, Role::SuperAdmin))
            .await
        {
            Err(StoreError::AlreadyExists("email")) => {}
            other => panic!("expected AlreadyExists(\"email\"), got {other:?}"),
        }
    }
    assert_eq!(store.list_users(acme).await.unwrap(), vec![u]);
    assert!(store.list_users(other).await.unwrap().is_empty());

    let mut english = new_user(other, "Eve", "eve@other.nl", Role::SuperAdmin);
    english.locale = Locale::En;
    let eve = store.create_user(&english).await.unwrap();
    assert_eq!(eve.locale, Locale::En);
    assert_eq!(eve.role, Role::SuperAdmin);
}

pub async fn user_for_login_returns_the_hash(store: Store) {
    let acme = org(&store, "Acme").await;
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::SuperAdmin).await;
    let (found, hash) = store
        .user_for_login(&email("ANNA@acme.nl"))
        .await
        .unwrap()
        .expect("user found by login address");
    assert_eq!(found, u);
    assert_eq!(hash, "$argon2id$hash-of-anna@acme.nl");
    assert_eq!(store.password_hash(acme, u.id).await.unwrap(), hash);
    assert!(
        store
            .user_for_login(&email("bert@acme.nl"))
            .await
            .unwrap()
            .is_none()
    );

    // An inactive user is still returned: the caller decides what to tell.
    store.set_active(acme, u.id, false).await.unwrap();
    let (found, _) = store.user_for_login(&u.email).await.unwrap().unwrap();
    assert!(!found.active);
}

pub async fn users_are_listed_by_name_per_org(store: Store) {
    let acme = org(&store, "Acme").await;
    let other = org(&store, "Other").await;
    let carla = user(&store, acme, "Carla", "carla@acme.nl", Role::Gebruiker).await;
    let anna2 = user(&store, acme, "Anna", "anna2@acme.nl", Role::Gebruiker).await;
    let bert = user(&store, acme, "Bert", "bert@acme.nl", Role::SuperAdmin).await;
    let anna1 = user(&store, acme, "Anna", "anna1@acme.nl", Role::Gebruiker).await;
    let olga = user(&store, other, "Olga", "olga@other.nl", Role::SuperAdmin).await;

    let ids: Vec<UserId> = store
        .list_users(acme)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    // By name, equal names by id (creation order).
    assert_eq!(ids, vec![anna2.id, anna1.id, bert.id, carla.id]);
    assert_eq!(store.list_users(other).await.unwrap(), vec![olga]);
}

pub async fn user_settings_are_updated(store: Store) {
    let acme = org(&store, "Acme").await;
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::Gebruiker).await;
    let bystander = user(&store, acme, "Bert", "bert@acme.nl", Role::Gebruiker).await;

    store.set_role(acme, u.id, Role::SuperAdmin).await.unwrap();
    assert_eq!(store.user(acme, u.id).await.unwrap().role, Role::SuperAdmin);
    store.set_role(acme, u.id, Role::Gebruiker).await.unwrap();
    assert_eq!(store.user(acme, u.id).await.unwrap().role, Role::Gebruiker);

    let details = postkamer_domain::UserDetails {
        name: "Anna de Vries".into(),
        job_title: "Office manager".into(),
        phone: "020 123 4567".into(),
    }
    .validate()
    .unwrap();
    let changed = store.set_user_details(acme, u.id, &details).await.unwrap();
    assert_eq!(
        (changed.name.as_str(), changed.job_title.as_deref()),
        ("Anna de Vries", Some("Office manager"))
    );
    assert_eq!(changed.phone, details.phone);
    assert_eq!(store.user(acme, u.id).await.unwrap(), changed);
    let elsewhere = org(&store, "Elders").await;
    assert_not_found(store.set_user_details(elsewhere, u.id, &details).await);

    store.set_active(acme, u.id, false).await.unwrap();
    assert!(!store.user(acme, u.id).await.unwrap().active);
    store.set_active(acme, u.id, true).await.unwrap();
    assert!(store.user(acme, u.id).await.unwrap().active);

    store
        .set_password_hash(acme, u.id, "$argon2id$new")
        .await
        .unwrap();
    assert_eq!(
        store.password_hash(acme, u.id).await.unwrap(),
        "$argon2id$new"
    );
    let (_, hash) = store.user_for_login(&u.email).await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$new");

    store.set_locale(acme, u.id, Locale::En).await.unwrap();
    assert_eq!(store.user(acme, u.id).await.unwrap().locale, Locale::En);

    // Nothing leaked onto the other user.
    assert_eq!(store.user(acme, bystander.id).await.unwrap(), bystander);
    assert_ne!(
        store.password_hash(acme, bystander.id).await.unwrap(),
        "$argon2id$new"
    );

    // A user that does not exist.
    let missing = UserId(u.id.0 + 1000);
    assert_not_found(store.set_role(acme, missing, Role::SuperAdmin).await);
    assert_not_found(store.set_active(acme, missing, false).await);
    assert_not_found(store.set_password_hash(acme, missing, "x").await);
    assert_not_found(store.set_locale(acme, missing, Locale::En).await);
    assert_not_found(store.password_hash(acme, missing).await);
    assert_not_found(store.user(acme, missing).await);
}

pub async fn active_superadmins_are_counted(store: Store) {
    let acme = org(&store, "Acme").await;
    let other = org(&store, "Other").await;
    assert_eq!(store.count_active_superadmins(acme).await.unwrap(), 0);
    let a = user(&store, acme, "A", "a@acme.nl", Role::SuperAdmin).await;
    let b = user(&store, acme, "B", "b@acme.nl", Role::SuperAdmin).await;
    let c = user(&store, acme, "C", "c@acme.nl", Role::Gebruiker).await;
    user(&store, other, "O", "o@other.nl", Role::SuperAdmin).await;
    assert_eq!(store.count_active_superadmins(acme).await.unwrap(), 2);
    assert_eq!(store.count_active_superadmins(other).await.unwrap(), 1);

    store.set_active(acme, a.id, false).await.unwrap();
    assert_eq!(store.count_active_superadmins(acme).await.unwrap(), 1);
    store.set_role(acme, b.id, Role::Gebruiker).await.unwrap();
    assert_eq!(store.count_active_superadmins(acme).await.unwrap(), 0);
    store.set_role(acme, c.id, Role::SuperAdmin).await.unwrap();
    assert_eq!(store.count_active_superadmins(acme).await.unwrap(), 1);
    assert_eq!(store.count_active_superadmins(other).await.unwrap(), 1);
}

pub async fn users_are_isolated_between_orgs(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let u = user(&store, a, "Anna", "anna@a.nl", Role::SuperAdmin).await;

    assert_not_found(store.user(b, u.id).await);
    assert_not_found(store.password_hash(b, u.id).await);
    assert_not_found(store.set_role(b, u.id, Role::Gebruiker).await);
    assert_not_found(store.set_active(b, u.id, false).await);
    assert_not_found(store.set_password_hash(b, u.id, "stolen").await);
    assert_not_found(store.set_locale(b, u.id, Locale::En).await);
    assert!(store.list_users(b).await.unwrap().is_empty());
    assert_eq!(store.count_active_superadmins(b).await.unwrap(), 0);

    // None of the attempts changed anything.
    assert_eq!(store.user(a, u.id).await.unwrap(), u);
    assert_eq!(
        store.password_hash(a, u.id).await.unwrap(),
        "$argon2id$hash-of-anna@a.nl"
    );
}
