//! CSRF protection, browser side. The server renders a token into `<meta name="csrf-token">`:
//! for a signed-in session one derived from the session secret (bound to that session), before
//! login a random one it also keeps in an HttpOnly cookie. Every server function call carries
//! it back in the `x-csrf-token` header, which a cross-site page cannot read or forge; the
//! server refuses state-changing requests whose header does not match.

use server_fn::client::Client;
use server_fn::client::browser::BrowserClient;
use server_fn::error::FromServerFnError;
use server_fn::request::browser::BrowserRequest;
use server_fn::response::browser::BrowserResponse;
use std::future::Future;

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_COOKIE: &str = "pk_csrf";

/// The CSRF cookie's name: over https with the `__Host-` prefix (the browser then accepts it
/// only when Secure, for this host, on path `/` — no sibling subdomain can plant one).
pub fn csrf_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-pk_csrf"
    } else {
        CSRF_COOKIE
    }
}

/// The browser client of every server function: `fetch`, plus the CSRF header.
pub struct CsrfClient;

impl<E, IS, OS> Client<E, IS, OS> for CsrfClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        if let Some(token) = page_token() {
            req.headers().set(CSRF_HEADER, &token);
        }
        <BrowserClient as Client<E, IS, OS>>::send(req)
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl futures::Stream<Item = Result<bytes::Bytes, bytes::Bytes>> + Send + 'static,
                impl futures::Sink<bytes::Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}

/// The token the server rendered into the page.
fn page_token() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let element = web_sys::window()?
            .document()?
            .query_selector("meta[name=csrf-token]")
            .ok()??;
        element.get_attribute("content")
    }
    #[cfg(not(feature = "hydrate"))]
    None
}
