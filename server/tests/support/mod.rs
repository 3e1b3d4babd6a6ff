//! The test application shared by the HTTP test binaries: a fresh SQLite database per test,
//! the whole router, and helpers to call the API, server functions and log in.
#![allow(dead_code, clippy::unwrap_used)] // Each test binary uses part of this.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use postkamer_app::ssr::AppState;
use postkamer_core::{Core, CoreConfig, Database, ThrottlePolicy, UserInput};
use postkamer_domain::{Role, User};
use serde_json::{Value, json};
use std::time::Duration;
use tower::ServiceExt;

pub const LIMIT: usize = 64 * 1024;
/// The largest file a draft takes in the tests.
pub const UPLOAD_LIMIT: usize = 256 * 1024;

pub struct TestApp {
    pub router: Router,
    pub core: Core,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

/// Domain checks against the throw-away Knot of scripts/test.sh when it runs.
fn test_domains() -> postkamer_core::DomainsConfig {
    let mut config = postkamer_core::DomainsConfig::default();
    if let Ok(server) = std::env::var("POSTKAMER_TEST_DNS") {
        config.check.dns.servers = vec![server.parse().unwrap()];
        config.check.dns.timeout = Duration::from_secs(2);
        let zone =
            std::env::var("POSTKAMER_TEST_DNS_ZONE").unwrap_or_else(|_| "postkamer.test".into());
        config.check.spf_include = format!("spf.{zone}");
    }
    config
}

pub async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// The test application with its state adjusted (https, a sync host …).
pub async fn app_with(adjust: impl FnOnce(&mut AppState)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::connect(&format!("sqlite://{}/http.db", dir.path().display()), 10)
        .await
        .unwrap();
    database.migrate().await.unwrap();
    let config = CoreConfig {
        throttle: ThrottlePolicy {
            window: Duration::from_secs(900),
            per_client: 3,
            per_account: 50,
            per_ip: 100,
        },
        domains: test_domains(),
        ..CoreConfig::new(postkamer_core::SecretKey::generate().unwrap())
    };
    let core = Core::new(database, config);
    let leptos_options = LeptosOptions::builder().output_name("postkamer").build();
    let mut state = AppState {
        core: core.clone(),
        leptos_options,
        secure_cookies: false,
        trust_forwarded_for: false,
        sync_host: Some("sync.postkamer.test".into()),
        public_url: None,
    };
    adjust(&mut state);
    TestApp {
        router: postkamer_server::router::router(
            state,
            postkamer_server::limits::Limits {
                max_body_bytes: LIMIT,
                body_timeout: Duration::from_secs(5),
                max_upload_bytes: UPLOAD_LIMIT,
            },
        ),
        core,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn user(&self, org: &str, email: &str, role: Role) -> User {
        let input = UserInput {
            name: email.into(),
            email: email.into(),
            role: Some(role),
            password: "een-lang-wachtwoord".into(),
        };
        self.core.bootstrap_user(org, &input).await.unwrap()
    }

    /// Gives `user` a mailbox whose inbox holds `messages` (UIDs 1, 2, …), stored as a sync
    /// pass would store them.
    pub async fn seed_inbox(&self, user: &User, messages: &[&[u8]]) {
        use postkamer_domain::mail::sync::{FolderProgress, Located};
        use postkamer_domain::mail::{FolderRole, MailboxInput, TlsMode};
        let input = MailboxInput {
            host: "127.0.0.1".into(),
            port: "143".into(),
            tls: TlsMode::None,
            login: user.email.to_string(),
            password: "geheim".into(),
            since: String::new(),
            enabled: true,
        };
        let settings = self.core.save_mailbox(user, &input).await.unwrap();
        use postkamer_mail::store::MailStore;
        let store = self.core.mail_storage();
        let inbox = store
            .ensure_folder(settings.id, FolderRole::Inbox, "INBOX")
            .await
            .unwrap();
        let batch: Vec<_> = (1..)
            .zip(messages)
            .map(|(uid, raw)| {
                let located = Located {
                    uid,
                    seen: false,
                    flagged: false,
                    modseq: None,
                };
                (located, postkamer_mail::sync::incoming(raw, 0))
            })
            .collect();
        let count = u32::try_from(messages.len()).unwrap();
        let progress = FolderProgress {
            uid_top: count + 1,
            uid_low: Some(1),
            first_sync_done: true,
            highest_modseq: None,
            on_server: u64::from(count),
        };
        let mailbox = store.mailbox(settings.id).await.unwrap();
        store
            .store_batch(&mailbox, inbox.id, &batch, progress)
            .await
            .unwrap();
    }

    pub async fn token(&self, user: &User) -> String {
        self.core.create_api_token(user, "test").await.unwrap().1
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn api(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    /// Calls a server function as the browser does: JSON body, CSRF cookie and header.
    pub async fn server_fn(
        &self,
        path: &str,
        session: Option<&str>,
        csrf: bool,
        body: Value,
    ) -> Reply {
        let mut cookies = vec!["pk_csrf=test-token".to_owned()];
        if let Some(session) = session {
            cookies.push(format!("pk_session={session}"));
        }
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, cookies.join("; "));
        if csrf {
            // Signed in, the token is the session's; before login, the cookie's.
            let token = session.map_or_else(
                || "test-token".to_owned(),
                postkamer_core::session_csrf_token,
            );
            request = request.header("x-csrf-token", token);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A page as a signed-in browser asks for it.
    pub async fn page(&self, path: &str, session: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, format!("pk_session={session}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.server_fn(
            "/fn/login",
            None,
            true,
            json!({ "email": email, "password": password }),
        )
        .await
    }
}

/// A server function's name: its path without `/fn/` and the hash the macro appends.
pub fn server_fn_name(path: &str) -> String {
    path.trim_start_matches("/fn/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_owned()
}

/// The registered path of a server function, by name.
pub fn fn_path(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| server_fn_name(path) == name)
        .unwrap_or_else(|| panic!("no server function {name}"))
        .to_owned()
}

pub fn is_problem(reply: &Reply, status: StatusCode, kind: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(reply.body["status"], status.as_u16());
    assert!(
        reply.body["type"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/{kind}")),
        "{}",
        reply.text
    );
}

pub fn session_from(reply: &Reply) -> String {
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("pk_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    cookie
        .trim_start_matches("pk_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

pub fn person(last_name: &str, emails: &[&str]) -> Value {
    json!({
        "first_name": "Eva",
        "tussenvoegsel": "van der",
        "last_name": last_name,
        "emails": emails.iter().map(|e| json!({ "address": e })).collect::<Vec<_>>(),
        "phones": [{ "number": "06 1234 5678", "kind": "mobiel" }],
    })
}
