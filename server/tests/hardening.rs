//! The HTTP surface under hostile clients: bodies over the limit on every kind of route (with
//! and without a declared length), slow headers and slow bodies on a real socket, the security
//! headers of pages and answers, and 500s that tell nothing of the database.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use serde_json::json;
use std::time::Duration;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A body of `len` bytes sent in chunks, with no Content-Length.
fn streamed(len: usize) -> Body {
    let chunk = bytes_chunk();
    let chunks = len.div_ceil(chunk.len());
    Body::from_stream(futures_stream(chunk, chunks))
}

fn bytes_chunk() -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b'x'; 16 * 1024])
}

fn futures_stream(
    chunk: axum::body::Bytes,
    count: usize,
) -> impl futures::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static {
    futures::stream::iter((0..count).map(move |_| Ok(chunk.clone())))
}

fn post(path: &str, body: Body) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, "pk_csrf=test-token")
        .header("x-csrf-token", "test-token")
        .body(body)
        .unwrap()
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_on_every_route_and_the_server_goes_on() {
    let app = app().await;
    let over = LIMIT * 4;
    for path in [
        "/fn/login",
        "/api/v1/persons",
        "/relaties",
        "/fn/no_such_function",
    ] {
        for (declared, body) in [
            (true, Body::from(vec![b'x'; over])),
            (false, streamed(over)),
        ] {
            let mut request = post(path, body);
            if declared {
                request
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, over.to_string().parse().unwrap());
            }
            let reply = app.send(request).await;
            assert_eq!(
                reply.status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "{path} (length declared: {declared}): {}",
                reply.text
            );
            if path.starts_with("/api/") {
                is_problem(&reply, StatusCode::PAYLOAD_TOO_LARGE, "too-large");
            }
            if path.starts_with("/fn/") {
                // The typed error a page shows in Dutch.
                assert_eq!(reply.body, json!("TooLarge"), "{path}");
            }
        }
    }
    // CardDAV has its own limit (a vCard with photos), also before authentication.
    let reply = app
        .send(
            Request::put("/dav/addressbooks/1/relaties/x.vcf")
                .body(streamed(8 * 1024 * 1024))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    // Still serving, and a body under the limit is read as ever.
    let ok = app
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let wrong = app.login("niemand@demo.nl", "een-lang-wachtwoord").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.text);
}

/// The router on a real socket of 127.0.0.1, with short time limits.
async fn listening(app: &TestApp, header_timeout: Duration) -> std::net::SocketAddr {
    let (listener, addr) = postkamer_server::serve::bind_local().await.unwrap();
    let router = app.router.clone();
    tokio::spawn(postkamer_server::serve::serve(
        listener,
        router,
        header_timeout,
        std::future::pending(),
    ));
    addr
}

/// Reads until the server closes the connection; what it sent.
async fn until_closed(stream: &mut tokio::net::TcpStream) -> String {
    let mut out = Vec::new();
    // A bound on the test itself, far above the server's limits: a server that never closes
    // fails the test instead of hanging it.
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut out))
        .await
        .expect("the server closed the connection")
        .ok();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn slow_clients_hold_no_connection() {
    let app = app().await;
    let addr = listening(&app, Duration::from_secs(1)).await;

    // Headers that never end (slowloris): the connection is closed.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ")
        .await
        .unwrap();
    let answer = until_closed(&mut slow).await;
    assert!(!answer.contains("200 OK"), "{answer}");

    // A body that never comes (the router's body timeout is 5 s in the tests): 408.
    let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(
            b"POST /fn/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Cookie: pk_csrf=t\r\nX-CSRF-Token: t\r\nContent-Length: 100\r\n\r\n{\"email\":",
        )
        .await
        .unwrap();
    let answer = until_closed(&mut stalled).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // A large upload streamed by a stranger is refused without being read to its end.
    let mut upload = tokio::net::TcpStream::connect(addr).await.unwrap();
    upload
        .write_all(
            b"POST /fn/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Cookie: pk_csrf=t\r\nX-CSRF-Token: t\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        .await
        .unwrap();
    let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
    // Four times the limit, never finished: the server answers once the limit is passed (and
    // may close the connection while this is still writing).
    for _ in 0..(4 * LIMIT / 0x4000) {
        if upload.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let answer = until_closed(&mut upload).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // And the server serves the next client as ever.
    let mut fine = tokio::net::TcpStream::connect(addr).await.unwrap();
    fine.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = until_closed(&mut fine).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn pages_and_answers_carry_the_security_headers() {
    let app = app().await;
    let page = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "script-src 'self' 'nonce-",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    // Every inline script of the page carries this response's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    let tags: Vec<&str> = page
        .text
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(""))
        .collect();
    assert!(!tags.is_empty());
    for tag in &tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "<script{tag}> in {}",
            page.text
        );
    }
    let again = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert_ne!(
        again.headers[header::CONTENT_SECURITY_POLICY],
        page.headers[header::CONTENT_SECURITY_POLICY],
        "a fresh nonce per page"
    );
    for reply in [
        &page,
        &app.api(Method::GET, "/api/v1/me", None, None).await,
        &app.send(Request::get("/dav/").body(Body::empty()).unwrap())
            .await,
    ] {
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(reply.headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
        assert!(
            reply
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_none()
        );
    }
    // Served over https: HSTS too.
    let https = app_with(|state| state.secure_cookies = true).await;
    let reply = https
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert!(
        reply.headers[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
}

#[tokio::test]
async fn a_failing_database_is_never_described_to_the_client() {
    let app = app().await;
    let user = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let token = app.token(&user).await;
    app.core.database().close().await;
    let leaks = ["pool", "sqlx", "database", "sqlite", "closed"];
    let api = app
        .api(Method::GET, "/api/v1/persons", Some(&token), None)
        .await;
    let dav = app
        .send(
            Request::builder()
                .method("PROPFIND")
                .uri("/dav/")
                .header(header::AUTHORIZATION, "Basic YW5uYUBkZW1vLm5sOnBhc3N3b3Jk")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let fun = app
        .server_fn(
            "/fn/login",
            None,
            true,
            json!({"email": "anna@demo.nl", "password": "x"}),
        )
        .await;
    for reply in [&api, &dav, &fun] {
        assert!(
            reply.status.is_server_error(),
            "{} {}",
            reply.status,
            reply.text
        );
        let text = reply.text.to_lowercase();
        for word in leaks {
            assert!(!text.contains(word), "{word} in {}", reply.text);
        }
    }
}
