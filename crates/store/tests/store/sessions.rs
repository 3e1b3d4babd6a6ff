//! Sessions, API tokens and the login-failure log.

use crate::fixtures::{assert_not_found, org, user};
use postkamer_domain::{ApiTokenId, Role, UserId};
use postkamer_store::{AttemptClaim, NewSession, Store};

fn session(token_hash: &str, user_id: UserId, now: i64, expires_at: i64) -> NewSession<'_> {
    NewSession {
        token_hash,
        user_id,
        now,
        expires_at,
        user_agent: Some("Firefox/140"),
    }
}

pub async fn sessions_expire_and_extend(store: Store) {
    let acme = org(&store, "Acme").await;
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::Gebruiker).await;
    store
        .create_session(&session("hash-1", u.id, 1_000, 2_000))
        .await
        .unwrap();

    assert_eq!(
        store.session_user("hash-1", 1_000).await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store.session_user("hash-1", 1_999).await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store.session_user("hash-1", 2_000).await.unwrap(),
        None,
        "expired at expires_at"
    );
    assert_eq!(store.session_user("hash-1", 5_000).await.unwrap(), None);
    assert_eq!(
        store.session_user("hash-2", 1_500).await.unwrap(),
        None,
        "unknown hash"
    );

    store.delete_session("hash-1").await.unwrap();
    assert_eq!(store.session_user("hash-1", 1_500).await.unwrap(), None);
    // Deleting what is gone is fine (logging out twice).
    store.delete_session("hash-1").await.unwrap();
}

pub async fn inactive_user_has_no_session(store: Store) {
    let acme = org(&store, "Acme").await;
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::Gebruiker).await;
    store
        .create_session(&session("s", u.id, 0, 10_000))
        .await
        .unwrap();
    assert!(store.session_user("s", 1).await.unwrap().is_some());

    store.set_active(acme, u.id, false).await.unwrap();
    assert_eq!(store.session_user("s", 1).await.unwrap(), None);

    store.set_active(acme, u.id, true).await.unwrap();
    assert_eq!(
        store.session_user("s", 1).await.unwrap().map(|u| u.id),
        Some(u.id)
    );
}

pub async fn delete_user_sessions_keeps_one(store: Store) {
    let acme = org(&store, "Acme").await;
    let anna = user(&store, acme, "Anna", "anna@acme.nl", Role::Gebruiker).await;
    let bert = user(&store, acme, "Bert", "bert@acme.nl", Role::Gebruiker).await;
    for hash in ["a1", "a2", "a3"] {
        store
            .create_session(&session(hash, anna.id, 0, 10_000))
            .await
            .unwrap();
    }
    store
        .create_session(&session("b1", bert.id, 0, 10_000))
        .await
        .unwrap();

    assert_eq!(
        store
            .delete_user_sessions(anna.id, Some("a2"))
            .await
            .unwrap(),
        2
    );
    assert!(store.session_user("a1", 1).await.unwrap().is_none());
    assert_eq!(
        store.session_user("a2", 1).await.unwrap().map(|u| u.id),
        Some(anna.id)
    );
    assert!(store.session_user("a3", 1).await.unwrap().is_none());
    assert_eq!(
        store.session_user("b1", 1).await.unwrap().map(|u| u.id),
        Some(bert.id)
    );

    assert_eq!(store.delete_user_sessions(anna.id, None).await.unwrap(), 1);
    assert!(store.session_user("a2", 1).await.unwrap().is_none());
    assert_eq!(store.delete_user_sessions(anna.id, None).await.unwrap(), 0);
    assert!(store.session_user("b1", 1).await.unwrap().is_some());
}

pub async fn expired_sessions_are_deleted(store: Store) {
    let acme = org(&store, "Acme").await;
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::Gebruiker).await;
    for (hash, expires) in [("e100", 100), ("e200", 200), ("e300", 300)] {
        store
            .create_session(&session(hash, u.id, 0, expires))
            .await
            .unwrap();
    }
    assert_eq!(store.delete_expired_sessions(50).await.unwrap(), 0);
    assert_eq!(store.delete_expired_sessions(200).await.unwrap(), 2);
    assert_eq!(store.delete_expired_sessions(200).await.unwrap(), 0);
    // The survivor is still there (and valid before its expiry).
    assert!(store.session_user("e300", 250).await.unwrap().is_some());
    assert!(store.session_user("e200", 150).await.unwrap().is_none());
    assert_eq!(store.delete_expired_sessions(1_000).await.unwrap(), 1);
    assert!(store.session_user("e300", 250).await.unwrap().is_none());
}

pub async fn api_tokens_are_listed_used_and_revoked(store: Store) {
    let acme = org(&store, "Acme").await;
    let u = user(&store, acme, "Anna", "anna@acme.nl", Role::Gebruiker).await;
    let other = user(&store, acme, "Bert", "bert@acme.nl", Role::Gebruiker).await;

    let first = store
        .create_api_token(u.id, "laptop", "hash-laptop", "pk_lap", 10)
        .await
        .unwrap();
    assert_eq!(first.name, "laptop");
    assert_eq!(first.prefix, "pk_lap");
    assert_eq!(first.created_at, 10);
    assert_eq!(first.last_used_at, None);
    let second = store
        .create_api_token(u.id, "script", "hash-script", "pk_scr", 20)
        .await
        .unwrap();
    assert_ne!(first.id, second.id);
    store
        .create_api_token(other.id, "bert's", "hash-bert", "pk_ber", 15)
        .await
        .unwrap();

    // Newest first, only the user's own.
    assert_eq!(
        store.list_api_tokens(u.id).await.unwrap(),
        vec![second.clone(), first.clone()]
    );

    assert_eq!(
        store.api_token_user("hash-laptop", 30).await.unwrap(),
        Some(u.clone())
    );
    let listed = store.list_api_tokens(u.id).await.unwrap();
    assert_eq!(listed[1].id, first.id);
    assert_eq!(listed[1].last_used_at, Some(30));
    assert_eq!(
        listed[0].last_used_at, None,
        "only the used token is touched"
    );
    assert_eq!(store.api_token_user("hash-nope", 30).await.unwrap(), None);

    store.revoke_api_token(u.id, first.id, 40).await.unwrap();
    let listed = store.list_api_tokens(u.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![second.id]
    );
    assert_eq!(store.api_token_user("hash-laptop", 50).await.unwrap(), None);
    // Revoking twice, or a token that never existed.
    assert_not_found(store.revoke_api_token(u.id, first.id, 60).await);
    assert_not_found(
        store
            .revoke_api_token(u.id, ApiTokenId(second.id.0 + 1000), 60)
            .await,
    );

    // The token of an inactive user opens nothing.
    store.set_active(acme, u.id, false).await.unwrap();
    assert_eq!(store.api_token_user("hash-script", 70).await.unwrap(), None);
    store.set_active(acme, u.id, true).await.unwrap();
    assert_eq!(
        store
            .api_token_user("hash-script", 80)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(u.id)
    );
}

pub async fn api_token_of_another_user_cannot_be_revoked(store: Store) {
    let acme = org(&store, "Acme").await;
    let anna = user(&store, acme, "Anna", "anna@acme.nl", Role::SuperAdmin).await;
    let bert = user(&store, acme, "Bert", "bert@acme.nl", Role::Gebruiker).await;
    let token = store
        .create_api_token(anna.id, "t", "hash-anna", "pk_ann", 1)
        .await
        .unwrap();

    assert_not_found(store.revoke_api_token(bert.id, token.id, 2).await);
    assert_eq!(store.list_api_tokens(anna.id).await.unwrap(), vec![token]);
    assert!(store.list_api_tokens(bert.id).await.unwrap().is_empty());
    assert_eq!(
        store
            .api_token_user("hash-anna", 3)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(anna.id)
    );
}

pub async fn login_failures_are_counted_cleared_and_pruned(store: Store) {
    let a = "account:jan@acme.nl";
    let ip = "ip:192.0.2.1";
    for at in [100, 200, 300] {
        store.record_login_failure(a, at).await.unwrap();
    }
    store.record_login_failure(ip, 150).await.unwrap();
    store.record_login_failure(ip, 250).await.unwrap();

    assert_eq!(
        store.login_failures_since(a, 0).await.unwrap(),
        (3, Some(100))
    );
    assert_eq!(
        store.login_failures_since(a, 200).await.unwrap(),
        (2, Some(200))
    );
    assert_eq!(store.login_failures_since(a, 301).await.unwrap(), (0, None));
    assert_eq!(
        store.login_failures_since(ip, 0).await.unwrap(),
        (2, Some(150))
    );
    assert_eq!(
        store
            .login_failures_since("account:nobody", 0)
            .await
            .unwrap(),
        (0, None)
    );

    store.clear_login_failures(a).await.unwrap();
    assert_eq!(store.login_failures_since(a, 0).await.unwrap(), (0, None));
    assert_eq!(
        store.login_failures_since(ip, 0).await.unwrap(),
        (2, Some(150)),
        "other key kept"
    );

    store.record_login_failure(a, 400).await.unwrap();
    // Prunes strictly before 250: only the ip failure at 150.
    assert_eq!(store.prune_login_failures(250).await.unwrap(), 1);
    assert_eq!(
        store.login_failures_since(ip, 0).await.unwrap(),
        (1, Some(250))
    );
    assert_eq!(
        store.login_failures_since(a, 0).await.unwrap(),
        (1, Some(400))
    );
    assert_eq!(store.prune_login_failures(250).await.unwrap(), 0);
    assert_eq!(store.prune_login_failures(10_000).await.unwrap(), 2);
    assert_eq!(store.login_failures_since(a, 0).await.unwrap(), (0, None));
}

/// Fifty attempts at once against a limit of five: exactly five are granted, however the
/// requests interleave (check and record are one step), and a release takes a grant back.
pub async fn login_attempts_are_claimed_atomically(store: Store) {
    let keys: &[(&str, u64)] = &[
        ("account:jan@acme.nl|ip:192.0.2.1", 5),
        ("ip:192.0.2.1", 30),
    ];
    let claims = futures::future::join_all((0..50).map(|_| {
        let store = store.clone();
        async move { store.claim_login_attempt(keys, 0, 1000).await.unwrap() }
    }))
    .await;
    let granted: Vec<&Vec<i64>> = claims
        .iter()
        .filter_map(|claim| match claim {
            AttemptClaim::Granted(ids) => Some(ids),
            AttemptClaim::Refused { .. } => None,
        })
        .collect();
    assert_eq!(granted.len(), 5, "{claims:?}");
    assert!(granted.iter().all(|ids| ids.len() == 2), "a row per key");
    assert!(
        claims.iter().all(|c| matches!(
            c,
            AttemptClaim::Granted(_) | AttemptClaim::Refused { oldest: 1000 }
        )),
        "{claims:?}"
    );
    // Refused claims record nothing, under no key.
    assert_eq!(
        store.login_failures_since("ip:192.0.2.1", 0).await.unwrap(),
        (5, Some(1000))
    );
    // A granted attempt that succeeded is taken back: room for one more.
    store.release_login_attempt(granted[0]).await.unwrap();
    assert!(matches!(
        store.claim_login_attempt(keys, 0, 1001).await.unwrap(),
        AttemptClaim::Granted(_)
    ));
    assert!(matches!(
        store.claim_login_attempt(keys, 0, 1002).await.unwrap(),
        AttemptClaim::Refused { oldest: 1000 }
    ));
    // Outside the window the old failures no longer count.
    assert!(matches!(
        store.claim_login_attempt(keys, 1002, 2000).await.unwrap(),
        AttemptClaim::Granted(_)
    ));
}
