//! Logging in under attack: the throttle counts attempts before the password check, atomically
//! (parallel requests get no more checks than the limit), per account *and client* first (a
//! stranger cannot lock a user out); a password change ends every other way in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;

use postkamer_core::{Core, CoreConfig, CoreError, ThrottlePolicy, UserInput};
use postkamer_domain::{Role, User};
use postkamer_store::Store;
use std::net::IpAddr;
use std::time::Duration;

on_both_engines![
    parallel_wrong_logins_get_at_most_the_limit_of_password_checks,
    a_stranger_cannot_lock_a_user_out,
];

const PASSWORD: &str = "lang genoeg wachtwoord";

fn core(store: Store) -> Core {
    Core::new(
        store,
        CoreConfig {
            throttle: ThrottlePolicy {
                window: Duration::from_secs(900),
                per_client: 5,
                per_account: 20,
                per_ip: 1000,
            },
            ..CoreConfig::new(postkamer_core::SecretKey::generate().unwrap())
        },
    )
}

async fn user(core: &Core, email: &str) -> User {
    core.bootstrap_user(
        "Demo BV",
        &UserInput {
            name: email.split('@').next().unwrap().to_owned(),
            email: email.to_owned(),
            role: Some(Role::Gebruiker),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().unwrap())
}

async fn parallel_wrong_logins_get_at_most_the_limit_of_password_checks(store: Store) {
    let core = core(store);
    user(&core, "anna@demo.nl").await;
    let outcomes = futures::future::join_all((0..50).map(|_| {
        let core = core.clone();
        async move {
            core.login("anna@demo.nl", "verkeerd wachtwoord", ip("192.0.2.7"), None)
                .await
                .err()
                .unwrap()
        }
    }))
    .await;
    // `Unauthenticated` is the answer of a password check; `Throttled` comes before any.
    let checked = outcomes
        .iter()
        .filter(|e| matches!(e, CoreError::Unauthenticated))
        .count();
    let throttled = outcomes
        .iter()
        .filter(|e| matches!(e, CoreError::Throttled { .. }))
        .count();
    assert_eq!(checked, 5, "{outcomes:?}");
    assert_eq!(throttled, 45, "{outcomes:?}");
    // And the right password from that client now waits too.
    assert!(matches!(
        core.login("anna@demo.nl", PASSWORD, ip("192.0.2.7"), None)
            .await,
        Err(CoreError::Throttled { .. })
    ));
}

async fn a_stranger_cannot_lock_a_user_out(store: Store) {
    let core = core(store);
    user(&core, "anna@demo.nl").await;
    for _ in 0..5 {
        let err = core
            .login(
                "anna@demo.nl",
                "geraden wachtwoord",
                ip("198.51.100.9"),
                None,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::Unauthenticated), "{err:?}");
    }
    assert!(matches!(
        core.login(
            "anna@demo.nl",
            "geraden wachtwoord",
            ip("198.51.100.9"),
            None
        )
        .await,
        Err(CoreError::Throttled { .. })
    ));
    // Anna, from her own address, is let in at once.
    let login = core
        .login("anna@demo.nl", PASSWORD, ip("203.0.113.4"), None)
        .await
        .unwrap();
    assert_eq!(login.user.email.as_str(), "anna@demo.nl");
    // A stranger spreading guesses over many addresses still meets the account-wide limit.
    for n in 0..15 {
        let _ = core
            .login(
                "anna@demo.nl",
                "geraden wachtwoord",
                ip(&format!("198.51.100.{}", 20 + n)),
                None,
            )
            .await;
    }
    assert!(matches!(
        core.login("anna@demo.nl", "geraden", ip("198.51.100.200"), None)
            .await,
        Err(CoreError::Throttled { .. })
    ));
}
